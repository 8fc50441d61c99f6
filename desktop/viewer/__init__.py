"""The document viewer: a custom-painted page view fed by a render worker thread.

``PageView`` paints cached page images; ``RenderWorker`` owns the ``pymupdf.Document`` on
its own thread and answers render requests with ``QImage``s; ``PageCache`` bounds the
images in bytes. PyMuPDF is not thread-safe, so no other thread ever touches a document.
"""

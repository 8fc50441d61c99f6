"""eROP packages: one PDF of a case's record, built by background workers.

``builder`` assembles the PDF (index, Bates numbers, bookmarks) from the accepted
documents; ``queue`` is the job table workers claim from; ``worker`` runs claimed jobs and
reports progress on the synced ``rop_request`` record. The HTTP face is
:class:`sync_server.services.rop_packages.RopPackages`.
"""

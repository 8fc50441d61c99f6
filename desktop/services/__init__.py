"""Services: do the work on worker threads and answer the widgets by signal."""

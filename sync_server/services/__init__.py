"""Services: the server's behaviour, knowing nothing of HTTP."""

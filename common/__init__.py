"""Pure-Python domain core shared by the desktop client and the sync server."""

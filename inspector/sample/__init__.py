"""The bundled sample portal: static site files, an external partner site and a loopback server (server.py)."""

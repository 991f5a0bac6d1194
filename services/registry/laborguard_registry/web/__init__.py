"""The HTTP shell: request bodies, auth, routes, and the one place errors become responses."""

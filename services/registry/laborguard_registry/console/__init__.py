"""The officer console under /console: server-rendered pages (Jinja2) over the same service layer
as the API, with the same tokens and roles; every asset ships in the package."""

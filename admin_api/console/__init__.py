"""The staff console: server-rendered pages under ``/staf/`` for office staff.

- ``router.py`` builds the console's router and ``install_console`` mounts it (pages, static
  files under ``/staf/static``, HTML error pages) on the admin API's app;
- ``addresses.py`` the console's paths, the login redirect and the ``next`` rule;
- ``sessions.py`` the signed session cookie, re-checked against the database on every
  request; ``deps.py`` what a page route depends on (``ConsoleStaff``, ``ConsoleAdmin``,
  ``ConsoleDb``); ``csrf.py`` the CSRF check of every console form (asgi-csrf);
- ``rendering.py`` templates, flash messages (``see_other``) and the ``render`` helper;
  ``formatting.py`` dates in office time, Indonesian style; ``texts.py`` the messages;
- ``pages/`` one module per page group (add yours to ``PAGE_ROUTERS`` in ``router.py``);
- ``templates/`` Jinja2 templates (``base.html`` the layout, ``_form.html`` form macros);
  ``static/`` the stylesheet and the vendored htmx (2.0.11, Zero-Clause BSD licence).

The console calls the domain services in ``knowledge_base`` directly, never the JSON API.
"""

"""Every server of the room: ``jupyterhub-singleuser``, without a grammar it builds and never uses.

``python -m reconnect.hub.singleuser`` is what the hub runs for each participant (and the counselor),
in place of the ``jupyterhub-singleuser`` command. The one difference: the package ``rfc3987_syntax``
is marked as absent before the server starts. jupyter_server's event logging imports jsonschema,
whose format checker imports that package when it is installed (it comes with
``jsonschema[format-nongpl]``), and importing it compiles a full IRI grammar with Lark: about
1.8 CPU-seconds of every server start on the 2-core machine (``python -c "import jsonschema"``:
2.0 s with it, 0.2 s without), for checking ``iri`` string formats that no event a workshop server
logs has. jsonschema treats the package as optional (its import is wrapped in
``suppress(ImportError)``), so nothing else changes.
"""

from __future__ import annotations

import sys


def main() -> None:
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type] - None: "not installed" to import
    from jupyterhub.singleuser import main as singleuser

    sys.exit(singleuser())


if __name__ == "__main__":
    main()

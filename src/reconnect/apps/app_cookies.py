"""App mode's pages carry their own ``_xsrf`` cookie (``make app``: Voilà's ``identity_provider_class``).

Leaving an app-mode page tells Voilà to stop the page's Python: the page sends a request signed with the
``_xsrf`` cookie. Voilà sets that cookie only on its start page (the listing), so a page opened directly (a
link, a bookmark, the workshop room's first page) had none: the request was refused (403 and a warning in the
log) and the kernel waited to be culled. Asking for the cookie from the page in the background left a race
on a busy computer (a page left before the answer arrived). Here the server sets the cookie with the page
itself, so there is nothing to wait for.

The hook is Jupyter's identity provider: it sees every request before its handler runs, and already sets
cookies (the login cookie). :class:`PageCookieIdentityProvider` is Voilà's own default (no password unless
configured) that also gives an app page's response an ``_xsrf`` cookie when the browser sent none.

Voilà is told to use it in app mode's settings (:data:`reconnect.apps.servers.IDENTITY_PROVIDER`).

Example
-------
>>> from reconnect.apps.servers import IDENTITY_PROVIDER
>>> IDENTITY_PROVIDER == f"{PageCookieIdentityProvider.__module__}.{PageCookieIdentityProvider.__name__}"
True
"""

from __future__ import annotations

from jupyter_server.auth.identity import PasswordIdentityProvider


def _is_page(handler) -> bool:
    from voila.handler import VoilaHandler

    return handler.request.method == "GET" and isinstance(handler, VoilaHandler)


class PageCookieIdentityProvider(PasswordIdentityProvider):
    """Voilà's identity provider, plus an ``_xsrf`` cookie on every app page's response that lacks one."""

    async def _get_user(self, handler):
        user = await super()._get_user(handler)
        if user is not None and _is_page(handler):
            handler.current_user = user  # as the handler is told next; the cookie's lifetime depends on it
            handler.xsrf_token  # noqa: B018 - reading it sets the cookie when the request brought none
        return user

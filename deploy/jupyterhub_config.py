# JupyterHub configuration of a Reconnect workshop room (`make hub`; docs/deploy.md).
# Everything is set by reconnect.hub.config from the settings file that `make hub` writes
# (RECONNECT_HUB_SETTINGS); read that module for what each setting does.
from reconnect.hub.config import configure, load_settings

c = get_config()  # noqa: F821 - JupyterHub provides get_config when it loads this file
configure(c, load_settings())

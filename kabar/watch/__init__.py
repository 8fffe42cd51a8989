"""``kabar watch``: follow news sources continuously and ingest what is new.

A folder (new files), RSS/Atom feeds and news sitemaps (sitemap indexes, Google News
sitemaps) are polled with conditional requests (ETag / Last-Modified), robots.txt is
respected, requests to one host are spaced by a delay, and each article is fetched once:
what was fetched and the feeds' validators are kept in the store
(:mod:`kabar.store.watch`). Fetched pages go through the same ingest path as
``kabar ingest`` (:func:`kabar.service.ingest`), so cleaning, dedup and grouping are the
same.

* :mod:`kabar.watch.sources`: the config file and the pure feed/sitemap parsers;
* :mod:`kabar.watch.state`: what to remember and when to ask again (pure);
* :mod:`kabar.watch.http`: polite HTTP (httpx, urllib.robotparser, per-host delay);
* :mod:`kabar.watch.poller`: the loop (:class:`Watcher`) and its server thread.

The package imports only the light config module: the loop (which loads the pipeline) is
imported from :mod:`kabar.watch.poller` by whoever runs it.
"""

from kabar.watch.sources import CONFIG_HELP, Source, WatchConfig, load_config

__all__ = ["CONFIG_HELP", "Source", "WatchConfig", "load_config"]

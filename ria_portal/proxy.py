"""The address a request came from, with proxies in front of the portal.

Behind a proxy every request arrives from the proxy's own address, so without
this the sign-in lockout (django-axes) would count everyone's failures against
one address. Axes calls `client_ip` through `AXES_CLIENT_IP_CALLABLE`.
"""

import ipaddress
import logging

from django.conf import settings
from django.http import HttpRequest

logger = logging.getLogger(__name__)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, as the outermost trusted proxy saw it.

    Each of the `TRUSTED_PROXY_COUNT` proxies appends the address it was
    reached from to X-Forwarded-For, so the client is that many entries from
    the right; anything further left came from the client and proves nothing.
    With no proxies configured, or a header too short to have passed through
    them all, the connection's own address is used.
    """
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_COUNT
    if not proxies:
        return remote

    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if len(hops) < proxies:
        return remote

    candidate = hops[-proxies]
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        # Axes stores the address in an IP field, which would refuse this.
        logger.warning(
            "X-Forwarded-For entry %r is not an IP address; using %s instead",
            candidate,
            remote,
        )
        return remote
    return candidate

"""`make run`: the consent service and the demo customer page, on two origins.

The service answers on http://localhost:<port> and the customer page on
http://127.0.0.1:<port>, so the banner works cross-origin as it does on a real site.
"""

from __future__ import annotations

import argparse
import os
import threading
from typing import TYPE_CHECKING

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from .. import create_app

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication
from ..services.demo import DEMO_PASSWORD
from . import create_demo_host


class AddressFreeRequestHandler(WSGIRequestHandler):
    """Request logs without the client's IP address: we never log one, not even here."""

    def address_string(self) -> str:
        return "-"


def serve(host: str, port: int, app: WSGIApplication) -> BaseWSGIServer:
    return make_server(host, port, app, threaded=True, request_handler=AddressFreeRequestHandler)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--service-port", type=int, default=int(os.environ.get("PORT", 5000)))
    parser.add_argument("--demo-port", type=int, default=int(os.environ.get("DEMO_PORT", 8000)))
    args = parser.parse_args()

    service_url = f"http://localhost:{args.service_port}"
    demo_url = f"http://127.0.0.1:{args.demo_port}"
    service = serve("127.0.0.1", args.service_port, create_app())
    demo = serve("127.0.0.1", args.demo_port, create_demo_host(service_url))
    threading.Thread(target=demo.serve_forever, daemon=True).start()
    print(
        f"\n  Consent service:     {service_url}/"
        f"\n  Demo customer page:  {demo_url}/"
        f"\n  Sign in at {service_url}/auth/login as admin@demo.example,"
        f" marketer@demo.example or auditor@demo.example, password {DEMO_PASSWORD}"
        "\n  (Ctrl-C stops both)\n",
        flush=True,
    )
    try:
        service.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        demo.shutdown()


if __name__ == "__main__":
    main()

"""The demo `make run` serves: a customer's website on its own origin (host.py, run by
serve.py), the demo site and users (seed.py), and months of realistic decisions for the
dashboard (history.py, made from the spread in spread.py)."""

"""What belongs to the visitor, and what is derived from their request and forgotten.

secrets.py is the capability that proves a request comes from the visitor's own banner;
self_service.py is /my-consent (read, download, withdraw, erase); preferences.py keeps
language and location while functionality is granted; erasure.py and retention.py remove
personal fields and keep the log verifiable; geo.py and devices.py turn an address and a
user agent into a country code and a device class, keeping neither.
"""

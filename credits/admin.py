"""The credit bank is administered in Wagtail (credits/wagtail_hooks.py) and its own staff pages."""

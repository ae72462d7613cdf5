"""WSGI entry point: `gunicorn jinzang.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jinzang.settings")
application = get_wsgi_application()

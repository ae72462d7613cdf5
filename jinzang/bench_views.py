"""The bare page the benchmark in bench/ compares every page with (only when BENCH is on).

It goes through the same middleware as every page and reads the session, as a
logged-in page must, but runs no other query and renders no template: the
fastest a page of this site can be on this machine.
"""

from django.http import HttpResponse


def bare(request):
    signed_in = "_auth_user_id" in request.session
    return HttpResponse(
        f"<!doctype html><title>Jinzang</title><p>{'signed in' if signed_in else 'anonymous'}</p>"
    )

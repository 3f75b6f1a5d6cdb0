from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tenants.selectors import demo_restaurant_list


def home(request: HttpRequest) -> HttpResponse:
    """The demo page: the demo tenant's restaurants, each with a button to talk to its agent."""
    return render(request, "home.html", {"restaurants": demo_restaurant_list()})

from . import portal_request

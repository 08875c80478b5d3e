from . import portal
from . import portal_license
from . import portal_request

from . import portal_license

from . import portal_commission
from . import portal_license

from . import portal_home
from . import portal_commission
from . import portal_deal
from . import portal_license
from . import portal_price
from . import portal_request
from . import portal_search
from . import mail_confirm

from . import test_agency_agreement
from . import test_partner
from . import test_product
from . import test_security
from . import test_settings
from . import test_channel_request_gateway

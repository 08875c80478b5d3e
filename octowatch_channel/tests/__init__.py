from . import test_agency_agreement
from . import test_license
from . import test_partner
from . import test_price_floor
from . import test_product
from . import test_provisioning
from . import test_security
from . import test_settings

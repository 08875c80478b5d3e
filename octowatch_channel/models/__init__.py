from . import octowatch_agency_agreement
from . import octowatch_channel_request
from . import product_pricelist
from . import product_template
from . import res_company
from . import res_config_settings
from . import res_partner
from . import sale_order_line

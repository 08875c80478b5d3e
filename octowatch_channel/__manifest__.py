# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "OctoWatch Channel",
    "summary": "OctoWatch resellers and agents: agreements, licences, commissions",
    "version": "19.0.1.0.0",
    "category": "Sales/Sales",
    "website": "https://octowatchdlp.com",
    "author": "Kolibri LLC",
    "maintainers": ["kolibri-llc"],
    "license": "LGPL-3",
    "application": True,
    "installable": True,
    "depends": ["mail", "portal", "account", "sale_management"],
    "external_dependencies": {"python": ["python-stdnum"]},
    "data": [
        "security/octowatch_channel_groups.xml",
        "security/ir.model.access.csv",
        "security/octowatch_channel_security.xml",
        "data/octowatch_agency_agreement_data.xml",
        "views/octowatch_agency_agreement_views.xml",
        "views/res_partner_views.xml",
        "views/product_template_views.xml",
        "views/product_pricelist_views.xml",
        "views/res_config_settings_views.xml",
        "views/octowatch_channel_menus.xml",
    ],
    "demo": [
        "demo/product_demo.xml",
        "demo/res_partner_demo.xml",
        "demo/octowatch_agency_agreement_demo.xml",
        "demo/res_users_demo.xml",
    ],
}

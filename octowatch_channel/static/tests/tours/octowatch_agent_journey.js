import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_utils";

// The Agent's journey, one tour per role and step group, chained by
// tests/test_agent_journey.py::TestAgentJourneyTour, which checks the records and
// each email's recipient between them. The data (agent, agreement, licence product
// "Tour Standard") comes from the Python test; no tour names a start URL, the
// test gives it.

const tours = registry.category("web_tour.tours");

/** Open a menu of the OctoWatch Channel app from the back office's home. */
function octowatchMenu(topXmlid, itemXmlid) {
    return [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the OctoWatch Channel app",
            trigger: ".o_app[data-menu-xmlid='octowatch_channel.menu_octowatch_root']",
            run: "click",
        },
        {
            content: "Open the menu",
            trigger: `.o_main_navbar [data-menu-xmlid='octowatch_channel.${topXmlid}']`,
            run: "click",
        },
        {
            content: "Open the menu item",
            trigger: `[data-menu-xmlid='octowatch_channel.${itemXmlid}']`,
            run: "click",
        },
    ];
}

/** The steps of the Register Payment button and its wizard on an open move. */
function registerPayment() {
    return [
        {
            content: "Register the payment",
            trigger:
                ".o_form_view .o_statusbar_buttons button[name=action_register_payment]",
            run: "click",
        },
        {
            content: "Create the payment, by bank transfer, for the whole amount",
            trigger: ".modal button[name=action_create_payments]",
            run: "click",
        },
        {
            content: "The move is paid",
            trigger:
                ".o_form_view .ribbon span:contains(Paid), .o_form_view .ribbon span:contains(In Payment)",
        },
    ];
}

// 1. The agent registers a deal on the portal, naming the customer's contact.
tours.add("octowatch_agent_journey_register", {
    steps: () => [
        {
            content: "Open the deals tile",
            trigger: "a[href='/my/deals']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Register a new deal",
            trigger: "a[href='/my/deals/new']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Type the customer's TIN",
            trigger: "form[action='/my/deals/new'] input[name=tin]",
            run: "edit 7885185053",
        },
        {
            content: "Type the customer's name",
            trigger: "input[name=company_name]",
            run: "edit Gamma Bank JSC",
        },
        {
            content: "Name the person to address at the customer",
            trigger: "input[name=contact_name]",
            run: "edit Irina Petrova",
        },
        {
            content: "Type the contact's email",
            trigger: "input[name=contact_email]",
            run: "edit irina@gamma.example",
        },
        {
            content: "Type the contact's phone",
            trigger: "input[name=contact_phone]",
            run: "edit +7 495 000-00-00",
        },
        {
            content: "Choose the OctoWatch version",
            trigger: "select[name=product_id]",
            run: "selectByLabel Tour Standard",
        },
        {
            content: "Type the number of licences",
            trigger: "input[name=license_qty]",
            run: "edit 10",
        },
        {
            content: "Register the deal",
            trigger: "form[action='/my/deals/new'] button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The deal page names the customer and its contact",
            trigger: "main:contains(Gamma Bank JSC):contains(Irina Petrova)",
        },
        {
            content: "The deal is registered",
            trigger: "main h3 .badge:contains(Registered)",
        },
    ],
});

// 2. Staff ask for the invoice on the deal's form and send the quotation.
tours.add("octowatch_agent_journey_quotation", {
    steps: () => [
        ...octowatchMenu("menu_octowatch_deals_root", "menu_octowatch_deals"),
        {
            content: "Open the agent's deal",
            trigger: ".o_kanban_record:contains(Gamma Bank JSC)",
            run: "click",
        },
        {
            content: "Ask for the invoice: the quotation opens",
            trigger:
                ".o_form_view .o_statusbar_buttons button[name=action_request_invoice]",
            run: "click",
        },
        {
            content: "Send the quotation",
            trigger:
                ".o_form_view:has(.o_field_widget[name=order_line]) .o_statusbar_buttons button[name=action_quotation_send]",
            run: "click",
        },
        {
            content: "The composer addresses the customer's contact",
            trigger: ".modal .o_field_widget[name=partner_ids]:contains(Irina Petrova)",
        },
        {
            content: "Send the email",
            trigger: ".modal button[name=action_send_mail]",
            run: "click",
        },
        {
            content: "The quotation is sent",
            trigger:
                "body:not(:has(.modal)) .o_statusbar_status .o_arrow_button_current:contains(Quotation Sent)",
        },
    ],
});

// 3. The agent, sent to its home page from the order's own page, sees the
// quotation read-only on its deal page.
tours.add("octowatch_agent_journey_read_only", {
    steps: () => [
        {
            content: "The order's page sent the agent back to its home page",
            trigger: "a[href='/my/deals']",
            run() {
                if (window.location.pathname !== "/my") {
                    throw new Error(`The agent is on ${window.location.pathname}`);
                }
            },
        },
        {
            content: "Open the deals tile",
            trigger: "a[href='/my/deals']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Open the deal",
            trigger: "tr:contains(Gamma Bank JSC) a[href^='/my/deals/']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The deal page shows the quotation's amount and status",
            trigger:
                ".o_octowatch_deal_quotation:contains(1,000.00):contains(Quotation Sent)",
        },
        {
            content: "Nothing on the quotation is a link or a button",
            trigger: ".o_octowatch_deal_quotation:not(:has(a, button, form))",
        },
        {
            content: "Nothing links to the order's pages",
            trigger:
                "main:not(:has(a[href*='/my/orders'], form[action*='/my/orders']))",
        },
        {
            content: "No button to sign, accept, reject or pay",
            trigger:
                "main:not(:has(a:contains(Sign), button:contains(Sign), a:contains(Accept), button:contains(Accept), a:contains(Reject), button:contains(Reject), a:contains(Pay Now), button:contains(Pay Now)))",
        },
    ],
});

// 4. Staff confirm the order, send its invoice to the customer's contact and register
// the customer's bank transfer.
tours.add("octowatch_agent_journey_payment", {
    steps: () => [
        ...octowatchMenu("menu_octowatch_deals_root", "menu_octowatch_deals"),
        {
            content: "Open the agent's deal",
            trigger: ".o_kanban_record:contains(Gamma Bank JSC)",
            run: "click",
        },
        {
            content: "Open its quotation",
            trigger: "button.oe_stat_button[name=action_view_sale_order]",
            run: "click",
        },
        {
            content: "Confirm the order",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_confirm]",
            run: "click",
        },
        {
            content: "Create the invoice",
            trigger: ".o_form_view .o_statusbar_buttons button#create_invoice",
            run: "click",
        },
        {
            content: "Create it as a draft",
            trigger: ".modal button#create_invoice_open",
            run: "click",
        },
        {
            content: "Confirm the invoice",
            trigger:
                ".o_form_view:has(.o_field_widget[name=invoice_line_ids]) .o_statusbar_buttons button[name=action_post]",
            run: "click",
        },
        {
            content: "Send the invoice",
            trigger:
                ".o_form_view .o_statusbar_buttons button[name=action_invoice_sent]",
            run: "click",
        },
        {
            content: "The email goes to the customer's contact",
            trigger:
                ".modal .o_field_widget[name=mail_partner_ids]:contains(Irina Petrova)",
        },
        {
            content: "Send it",
            trigger: ".modal button[name=action_send_and_print]",
            run: "click",
        },
        {
            content: "The invoice is sent",
            trigger:
                "body:not(:has(.modal)) .o_form_view .o_statusbar_buttons button[name=action_register_payment]",
        },
        ...registerPayment(),
    ],
});

// 5a. Staff settle the commissions: the agent's report and its draft bill.
tours.add("octowatch_agent_journey_settle", {
    steps: () => [
        ...octowatchMenu(
            "menu_octowatch_commissions",
            "menu_octowatch_commission_settle"
        ),
        {
            content: "The preview lists the agent to pay",
            trigger: ".modal .o_field_widget[name=preview]:contains(Test Agent LLC)",
        },
        {
            content: "Create the report and its bill",
            trigger: ".modal button[name=action_settle]",
            run: "click",
        },
        {
            content: "The agent's report is listed",
            trigger: ".o_list_view .o_data_row:contains(Test Agent LLC)",
        },
    ],
});

// 6a. Accounting pays the agent's posted bill.
tours.add("octowatch_agent_journey_pay_bill", {
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Invoicing app",
            trigger: ".o_app[data-menu-xmlid='account.menu_finance']",
            run: "click",
        },
        {
            content: "Open the Vendors menu",
            trigger: ".o_main_navbar [data-menu-xmlid='account.menu_finance_payables']",
            run: "click",
        },
        {
            content: "Open the bills",
            trigger: "[data-menu-xmlid='account.menu_action_move_in_invoice_type']",
            run: "click",
        },
        {
            content: "Open the agent's bill",
            trigger: ".o_list_view .o_data_row:contains(Test Agent LLC) td[name=name]",
            run: "click",
        },
        ...registerPayment(),
    ],
});

// 6b. The agent's commissions page says the bill is paid.
tours.add("octowatch_agent_journey_statement", {
    steps: () => [
        {
            content: "Open the commissions tile",
            trigger: "a[href='/my/commissions']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The accepted report links its statement",
            trigger: "tr[data-report] a[href^='/my/commissions/reports/']",
        },
        {
            content: "No report is left to accept",
            trigger: "body:not(:has(button[name=accept]))",
        },
        {
            content: "The bill is paid",
            trigger: "tr:has(a[href*='/my/invoices/']) .badge:contains(Paid)",
        },
    ],
});

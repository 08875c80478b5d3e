import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_utils";

// The Partner's journey, in the order a person walks it. The Python test
// (TestPartnerJourneyTour) chains these tours, does the invoicing between them, and
// gives each tour the page it starts on.

// 1. The Partner asks for an invoice for a new client, paid by card.
registry.category("web_tour.tours").add("octowatch_partner_journey_request", {
    url: "/my/channel-requests/new?type=invoice",
    steps: () => [
        {
            content: "The client is a new one",
            trigger: "select[name=end_customer_id]",
            run: "selectByLabel A new client",
        },
        {
            content: "Type the new client's company name",
            trigger: "input[name=company_name]",
            run: "edit Gamma Retail LLC",
        },
        {
            content: "Type the new client's TIN",
            trigger: "input[name=tin]",
            run: "edit 7723456782",
        },
        {
            content: "Type the new client's OctoWatch account email",
            trigger: "input[name=account_email]",
            run: "edit it@gamma-retail.example",
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
            content: "Declare the resale price per licence",
            trigger: "input[name=resale_price_unit]",
            run: "edit 150",
        },
        {
            content: "Pay by card",
            trigger: "select[name=payment_method]",
            run: "selectByLabel Card",
        },
        {
            content: "Send the request",
            trigger: "form.o_octowatch_channel_request_form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The list of requests confirms the submission",
            trigger: ".alert-success[role=status]",
        },
    ],
});

// 2. Staff confirm the request from the Inbox and send its quotation.
registry.category("web_tour.tours").add("octowatch_partner_journey_staff", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the OctoWatch Channel app",
            trigger: ".o_app[data-menu-xmlid='octowatch_channel.menu_octowatch_root']",
            run: "click",
        },
        {
            content: "Open the Inbox",
            trigger:
                ".o_main_navbar [data-menu-xmlid='octowatch_channel.menu_octowatch_inbox']",
            run: "click",
        },
        {
            content: "Open the Partner's request",
            trigger: ".o_kanban_record:contains(Test Reseller LLC)",
            run: "click",
        },
        {
            content: "Confirm it",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_confirm]",
            run: "click",
        },
        {
            content: "Open its quotation",
            trigger: ".o_form_view button[name=action_view_sale_order]",
            run: "click",
        },
        {
            content: "Send the quotation by email",
            trigger: ".o_statusbar_buttons > button[name=action_quotation_send]",
            run: "click",
        },
        {
            content: "Send the email",
            trigger: ".modal .o_mail_send",
            run: "click",
        },
        {
            content: "The quotation is sent",
            trigger:
                ".o_statusbar_status .o_arrow_button_current:contains(Quotation Sent)",
        },
    ],
});

// 3a. On the request's page, the Partner opens the quotation and accepts it.
registry.category("web_tour.tours").add("octowatch_partner_journey_accept", {
    steps: () => [
        {
            content: "The request is done and links its quotation",
            trigger:
                ".o_octowatch_channel_request_page:contains(Gamma Retail LLC) " +
                ".o_octowatch_request_documents a[href^='/my/orders/']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The quotation names the client of its licences",
            trigger: "#quote_content:contains(Gamma Retail LLC)",
        },
        {
            content: "Accept and sign the quotation",
            trigger: "a[data-bs-target='#modalaccept']:contains(Accept & Sign):first",
            run: "click",
        },
        {
            content: "The signature is drawn from the signer's name",
            trigger: ".modal canvas.o_web_sign_signature",
            run: "canvasNotEmpty",
        },
        {
            content: "Sign",
            trigger: ".modal .o_portal_sign_submit:enabled",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The order is confirmed",
            trigger: ".alert-success:contains(Your order has been confirmed)",
        },
    ],
});

// 3b. On the request's page, the Partner opens the invoice and pays it by card with
// Odoo's Demo provider.
registry.category("web_tour.tours").add("octowatch_partner_journey_pay", {
    steps: () => [
        {
            content: "The request links its invoice",
            trigger: ".o_octowatch_request_documents a[href^='/my/invoices/']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The invoice names the client of its licences",
            trigger: ":iframe body:contains(Client: Gamma Retail LLC)",
        },
        {
            content: "Pay Now",
            trigger: "a[data-bs-target='#pay_with']:contains(Pay Now)",
            run: "click",
        },
        {
            content: "Choose the Demo provider",
            trigger: "#pay_with input[name=o_payment_radio][data-provider-code=demo]",
            run: "click",
        },
        {
            content: "Type a test card number",
            trigger: "#pay_with input[name=customer_input]",
            run: "edit 4242424242424242",
        },
        {
            content: "Pay",
            trigger: "#pay_with button[name=o_payment_submit_button]:enabled",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Back on the invoice, paid",
            trigger: "[name=invoice_paid_badge]",
        },
    ],
});

// 4a. The Partner sees the licences on its client's line.
registry.category("web_tour.tours").add("octowatch_partner_journey_clients", {
    url: "/my/clients",
    steps: () => [
        {
            content: "The new client's line lists its Standard licences",
            trigger: "tr:contains(Gamma Retail LLC):contains(Tour Standard)",
        },
    ],
});

// 4b. The client's own user sees its licences.
registry.category("web_tour.tours").add("octowatch_partner_journey_client_licenses", {
    url: "/my",
    steps: () => [
        {
            content: "Open the licences tile",
            trigger: "a[href='/my/licenses']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The client's licences are listed",
            trigger: "table:contains(Tour Standard):contains(Gamma Retail LLC)",
        },
    ],
});

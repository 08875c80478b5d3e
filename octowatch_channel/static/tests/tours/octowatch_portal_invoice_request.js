import {registry} from "@web/core/registry";

// A partner sends an invoice request for its client on the portal form.
registry.category("web_tour.tours").add("octowatch_portal_invoice_request", {
    url: "/my/channel-requests/new?type=invoice",
    steps: () => [
        {
            content: "Type the client's OctoWatch account email",
            trigger: "input[name=account_email]",
            run: "edit it@alfa.example.com",
        },
        {
            content: "Choose the OctoWatch version",
            trigger: "select[name=product_id]",
            run: "selectByLabel Tour Enterprise",
        },
        {
            content: "Type the number of licences",
            trigger: "input[name=license_qty]",
            run: "edit 25",
        },
        {
            content: "Declare the resale price per licence",
            trigger: "input[name=resale_price_unit]",
            run: "edit 99000",
        },
        {
            content: "Choose the payment method",
            trigger: "select[name=payment_method]",
            run: "selectByLabel Bank transfer",
        },
        {
            content: "Say what it is for",
            trigger: "textarea[name=description]",
            run: "edit Tour: for the Kazan office",
        },
        {
            content: "Send the request",
            trigger: "form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The list of requests confirms the submission",
            trigger: ".alert-success[role=status]",
        },
    ],
});

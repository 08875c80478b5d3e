import {registry} from "@web/core/registry";

// An agent registers a deal on the portal, naming the client's contact, then asks
// for its invoice and sees the quotation read-only. The data
// (agent, licence product) comes from the Python test.
registry.category("web_tour.tours").add("octowatch_portal_deal", {
    url: "/my/deals/new",
    steps: () => [
        {
            content: "Type the client's TIN",
            trigger: "form[action='/my/deals/new'] input[name=tin]",
            run: "edit 7723456782",
        },
        {
            content: "Type the client's name",
            trigger: "input[name=company_name]",
            run: "edit Tour Client LLC",
        },
        {
            content: "Name the person to address at the client",
            trigger: "input[name=contact_name]",
            run: "edit Irina Petrova",
        },
        {
            content: "Type the contact's email",
            trigger: "input[name=contact_email]",
            run: "edit irina@tour-client.example",
        },
        {
            content: "Choose the OctoWatch version",
            trigger: "select[name=product_id]",
            run: "selectByLabel Tour Standard",
        },
        {
            content: "Type the number of licences",
            trigger: "input[name=license_qty]",
            run: "edit 15",
        },
        {
            content: "Register the deal",
            trigger: "form[action='/my/deals/new'] button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The deal page shows the client and the invoice button",
            trigger: "main:contains(Tour Client LLC) button:contains(Request Invoice)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            // Read-only: the customer's contact signs and pays, never the agent.
            content:
                "The deal page shows the quotation, with no link to sign or pay it",
            trigger: ".o_octowatch_deal_quotation:not(:has(a))",
        },
        {
            content: "The deal page has the conversation",
            trigger: "#octowatch_deal_communication",
        },
    ],
});

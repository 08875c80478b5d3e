import {registry} from "@web/core/registry";

// An agent sends a deal registration request on the portal request form. The
// form has no Kolibri service request yet: this tour covers the form as it is.
registry.category("web_tour.tours").add("octowatch_portal_deal_request", {
    url: "/my/channel-requests/new?type=deal",
    steps: () => [
        {
            content: "Type the client's TIN",
            trigger: "input[name=tin]",
            run: "edit 7734567893",
        },
        {
            content: "Type the client's name",
            trigger: "input[name=company_name]",
            run: "edit Tour Prospect LLC",
        },
        {
            content: "Choose the OctoWatch version",
            trigger: "select[name=product_id]",
            run: "selectByLabel Tour Standard",
        },
        {
            content: "Type the number of licences",
            trigger: "input[name=license_qty]",
            run: "edit 8",
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

import {registry} from "@web/core/registry";

// A partner asks Kolibri for a webinar for one of its own clients on the portal.
registry.category("web_tour.tours").add("octowatch_portal_service_request", {
    url: "/my/channel-requests/new?type=service",
    steps: () => [
        {
            content: "Choose the service",
            trigger: "select[name=service_kind]",
            run: "selectByLabel Webinar",
        },
        {
            content: "Choose the client, one of the partner's own",
            trigger: "select[name=end_customer_id]",
            run: "selectByLabel Alfa Client JSC",
        },
        {
            content: "Say what the client needs",
            trigger: "textarea[name=description]",
            run: "edit Tour: a webinar on DLP policies",
        },
        {
            content: "Ask for the service",
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

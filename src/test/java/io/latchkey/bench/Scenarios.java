package io.latchkey.bench;

/** The scenarios of the benchmark, each driving the server as real clients and browsers would. */
final class Scenarios {

    private final BenchClients clients;
    private final BenchUsers users;

    Scenarios(BenchClients clients, BenchUsers users) {
        this.clients = clients;
        this.users = users;
    }

    /** A machine client gets a token (stateless by default: signed, never written to the database). */
    Scenario clientCredentials() {
        return new Scenario("client_credentials", 1,
                (index, flows) -> () -> flows.clientCredentials(clients.machineBasic()));
    }

    /** The same with a client whose tokens are stored (one authorization row and one token row each). */
    Scenario clientCredentialsStored() {
        return new Scenario("client_credentials (stored tokens)", 1,
                (index, flows) -> () -> flows.clientCredentials(clients.machineStoredBasic()));
    }

    Scenario jwks() {
        return new Scenario("jwks", 1, (index, flows) -> flows::jwks);
    }

    /** Userinfo with the access token of the worker's own login. */
    Scenario userInfo() {
        return new Scenario("userinfo", 1, (index, flows) -> {
            String accessToken = flows.codeFlow(users.email(index)).accessToken();
            return () -> flows.userInfo(accessToken);
        });
    }

    /** The web client introspects the access token of the worker's own login (a stored token). */
    Scenario introspection(String label) {
        return new Scenario(label("introspection", label), 1, (index, flows) -> {
            String accessToken = flows.codeFlow(users.email(index)).accessToken();
            return () -> flows.introspectActive(accessToken);
        });
    }

    /**
     * Each worker refreshes its own login again and again, always with the refresh token of the last answer.
     * A failed refresh leaves the chain in doubt (an old token presented again revokes the whole login), so
     * the worker then signs in anew, untimed, instead of retrying.
     */
    Scenario refresh(String label) {
        return new Scenario(label("refresh (rotating)", label), 1, (index, flows) -> new Scenario.Worker() {
            private String refreshToken = flows.codeFlow(users.email(index)).refreshToken();

            @Override
            public void prepare() throws Exception {
                if (refreshToken == null) {
                    refreshToken = flows.codeFlow(users.email(index)).refreshToken();
                }
            }

            @Override
            public void run() throws Exception {
                String presented = refreshToken;
                refreshToken = null;
                refreshToken = flows.refresh(presented).refreshToken();
            }
        });
    }

    /** Sign-ins through the hosted form (GET /login, POST /login), one browser per worker. */
    Scenario passwordLogin() {
        return new Scenario("password login (form)", 2, (index, flows) -> {
            CookieJar browser = new CookieJar();
            String email = users.email(index);
            return () -> flows.signIn(browser, email);
        });
    }

    /** A whole first login of a new browser: authorize, sign in, resume, code exchange with PKCE. */
    Scenario codeFlow() {
        return new Scenario("authorization code + PKCE login", 5,
                (index, flows) -> () -> flows.codeFlow(users.email(index)));
    }

    private static String label(String name, String label) {
        return label == null ? name : name + " @ " + label;
    }
}

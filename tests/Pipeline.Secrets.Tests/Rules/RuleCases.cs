using System.Text;
using static Pipeline.Secrets.Tests.Fake;

namespace Pipeline.Secrets.Tests.Rules;

/// <summary>One positive and one negative text per built-in rule.</summary>
/// <param name="RuleId">The rule under test.</param>
/// <param name="Positive">A text the rule must flag.</param>
/// <param name="Secret">The value it must capture (so the right group is checked, not just "something matched").</param>
/// <param name="Negative">A similar-looking text the rule must not flag.</param>
internal sealed record RuleCase(string RuleId, string Positive, string Secret, string Negative)
{
    public override string ToString() => RuleId;
}

/// <summary>The cases, generated once per test run (see <see cref="Fake"/> for why nothing is literal).</summary>
internal static class RuleCases
{
    public static IReadOnlyList<RuleCase> All { get; } = Build();

    public static IEnumerable<object[]> Ids => All.Select(c => new object[] { c.RuleId });

    public static RuleCase Get(string id) => All.Single(c => c.RuleId == id);

    private static RuleCase Prefixed(string id, string prefix, string alphabet, int length, int shortLength = 10)
    {
        var secret = prefix + Of(alphabet, length);
        return new RuleCase(id, $"export TOKEN_VALUE={secret}\n", secret, $"export TOKEN_VALUE={prefix}{Of(alphabet, shortLength)}\n");
    }

    private static RuleCase Pem(string id, string label, string headers = "")
    {
        var pem = Fake.Pem(label, 12, headers);
        var lines = pem.Split('\n');
        var bodyStart = 1 + (headers.Length == 0 ? 0 : headers.Split('\n').Length - 1);
        var body = string.Join('\n', lines[bodyStart..^2]);
        var negative = $"-----BEGIN {label}-----\n...\n-----END {label}-----\n" + Fake.Pem("PUBLIC KEY");
        return new RuleCase(id, "# key\n" + pem, body, negative);
    }

    private static RuleCase Uri(string id, string scheme)
    {
        var password = Alnums(20);
        return new RuleCase(id, $"DATABASE_URL={scheme}://app:{password}@db.internal:5432/app\n", password,
            $"DATABASE_URL={scheme}://app@db.internal:5432/app\n");
    }

    private static string Json(string s) => Base64Url(Encoding.UTF8.GetBytes(s));

    private static List<RuleCase> Build()
    {
        var cases = new List<RuleCase>
        {
            Pem("private-key-rsa", "RSA PRIVATE KEY"),
            Pem("private-key-dsa", "DSA PRIVATE KEY"),
            Pem("private-key-ec", "EC PRIVATE KEY"),
            Pem("private-key-openssh", "OPENSSH PRIVATE KEY"),
            Pem("private-key-pgp", "PGP PRIVATE KEY BLOCK", "Version: GnuPG v2\n\n"),
            Pem("private-key-pkcs8", "PRIVATE KEY"),
            Pem("private-key-pkcs8-encrypted", "ENCRYPTED PRIVATE KEY"),
        };

        var puttyBody = string.Join('\n', Enumerable.Range(0, 4).Select(_ => Of(Base64Chars, 64)));
        cases.Add(new RuleCase("private-key-putty",
            $"PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\nComment: k\nPublic-Lines: 2\n{Of(Base64Chars, 64)}\n{Of(Base64Chars, 20)}\nPrivate-Lines: 4\n{puttyBody}\nPrivate-MAC: {Hexes(40)}\n",
            puttyBody,
            $"PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\nPublic-Lines: 1\n{Of(Base64Chars, 20)}\n"));

        var akid = "AKIA" + Of(Upper + "234567", 16);
        cases.Add(new RuleCase("aws-access-key-id", $"aws_access_key_id = {akid}\n", akid, $"aws_access_key_id = AKIA{Of(Upper, 15)}\n"));
        var sak = Of(Base64Chars, 40);
        cases.Add(new RuleCase("aws-secret-access-key", $"[default]\naws_access_key_id = {akid}\naws_secret_access_key = {sak}\n", sak,
            $"aws_secret_access_key = {Of(Base64Chars, 39)}\n"));
        var paired = Of(Base64Chars, 40);
        var pairedId = "AKIA" + Of(UpperAlnum, 16);
        cases.Add(new RuleCase("aws-secret-access-key-paired", $"AWS_KEY={pairedId}\nAWS_SECRET={paired}\n", paired,
            $"AWS_KEY={pairedId}\nCOMMIT={Hexes(40)}\n{new string('\n', 400)}OTHER_VALUE={Of(Base64Chars, 40)}\n"));
        var st = Of(Base64Chars, 300);
        cases.Add(new RuleCase("aws-session-token", $"AWS_SESSION_TOKEN=\"{st}\"\n", st, $"AWS_SESSION_TOKEN=\"{Of(Base64Chars, 50)}\"\n"));
        var mws = "amzn.mws." + Guid();
        cases.Add(new RuleCase("aws-mws-key", $"mws: {mws}\n", mws, "mws: amzn.mws.1234\n"));

        var acctKey = Of(Alnum + "+/", 86) + "==";
        cases.Add(new RuleCase("azure-storage-account-key",
            $"DefaultEndpointsProtocol=https;AccountName=acct;AccountKey={acctKey};EndpointSuffix=core.windows.net\n", acctKey,
            "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${STORAGE_KEY}\n"));
        var storageKey = Of(Alnum + "+/", 86) + "==";
        cases.Add(new RuleCase("azure-storage-key-assignment", $"storage_account_key: \"{storageKey}\"\n", storageKey,
            $"storage_account_key: \"{Of(Alnum, 40)}==\"\n"));
        var sbKey = Of(Alnum + "+/", 43) + "=";
        cases.Add(new RuleCase("azure-shared-access-key",
            $"Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={sbKey}\n", sbKey,
            "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey\n"));
        var sig = Of(Alnum, 43) + "%3D";
        cases.Add(new RuleCase("azure-sas-token",
            $"url: https://acct.blob.core.windows.net/c/b?sv=2022-11-02&ss=b&srt=o&sp=r&se=2030-01-01T00:00:00Z&sig={sig}\n", sig,
            $"url: https://api.internal/callback?sig={Of(Alnum, 43)}&id=3\n"));
        var entra = Of(Alnum, 3) + "8Q~" + Of(Alnum + "_~.-", 34);
        cases.Add(new RuleCase("azure-entra-client-secret", $"AZURE_CLIENT_SECRET={entra}\n", entra, $"x = {Of(Alnum, 3)}8Q~{Of(Alnum, 10)}\n"));
        var azdo = Alnums(52) + "AZDO" + Alnums(4);
        cases.Add(new RuleCase("azure-devops-pat-v2", $"pat: {azdo}\n", azdo, $"pat: {Alnums(20)}AZDO{Alnums(4)}\n"));

        cases.Add(Prefixed("github-pat", "ghp_", Alnum, 36));
        cases.Add(Prefixed("github-oauth", "gho_", Alnum, 36));
        cases.Add(Prefixed("github-user-to-server", "ghu_", Alnum, 36));
        cases.Add(Prefixed("github-server-to-server", "ghs_", Alnum, 36));
        cases.Add(Prefixed("github-refresh-token", "ghr_", Alnum, 76));
        var fg = "github_pat_" + Alnums(22) + "_" + Alnums(59);
        cases.Add(new RuleCase("github-fine-grained-pat", $"GH_TOKEN={fg}\n", fg, $"GH_TOKEN=github_pat_{Alnums(22)}\n"));

        cases.Add(Prefixed("gitlab-pat", "glpat-", UrlSafe, 20, 8));
        cases.Add(Prefixed("gitlab-deploy-token", "gldt-", UrlSafe, 20, 8));
        cases.Add(Prefixed("gitlab-runner-token", "glrt-", UrlSafe, 20, 8));
        cases.Add(Prefixed("gitlab-pipeline-trigger-token", "glptt-", Hex, 40));
        cases.Add(Prefixed("gitlab-runner-registration-token", "GR1348941", UrlSafe, 20));
        cases.Add(Prefixed("gitlab-oauth-secret", "gloas-", UrlSafe, 64));

        var xoxb = $"xoxb-{Of(Digits, 12)}-{Of(Digits, 13)}-{Alnums(24)}";
        cases.Add(new RuleCase("slack-bot-token", $"SLACK_BOT_TOKEN={xoxb}\n", xoxb, $"SLACK_BOT_TOKEN=xoxb-{Of(Digits, 12)}\n"));
        var xoxp = $"xoxp-{Of(Digits, 12)}-{Of(Digits, 12)}-{Of(Digits, 12)}-{Hexes(32)}";
        cases.Add(new RuleCase("slack-user-token", $"token: {xoxp}\n", xoxp, $"token: xoxp-{Of(Digits, 12)}-{Hexes(32)}\n"));
        var xapp = $"xapp-1-{Of(UpperAlnum, 11)}-{Of(Digits, 13)}-{Hexes(64)}";
        cases.Add(new RuleCase("slack-app-token", $"SLACK_APP_TOKEN={xapp}\n", xapp, "SLACK_APP_TOKEN=xapp-1-ABC\n"));
        var xoxa = $"xoxa-2-{Alnums(12)}-{Alnums(30)}";
        cases.Add(new RuleCase("slack-legacy-token", $"legacy = {xoxa}\n", xoxa, $"legacy = xoxa-{Alnums(5)}\n"));
        var hook = $"T{Of(UpperAlnum, 8)}/B{Of(UpperAlnum, 10)}/{Alnums(24)}";
        cases.Add(new RuleCase("slack-webhook", $"curl -X POST https://hooks.slack.com/services/{hook}\n", hook,
            "see https://hooks.slack.com/services/T000/B000/XXX for the format\n"));

        cases.Add(Prefixed("stripe-secret-key", "sk_live_", Alnum, 24));
        cases.Add(Prefixed("stripe-restricted-key", "rk_live_", Alnum, 24));
        cases.Add(Prefixed("shopify-token", "shpat_", Hex, 32, 16));

        cases.Add(Prefixed("google-api-key", "AIza", UrlSafe, 35, 20));
        cases.Add(Prefixed("google-oauth-client-secret", "GOCSPX-", UrlSafe, 28));
        var saBody = Convert.ToBase64String(Bytes(600));
        var saKey = "-----BEGIN PRIVATE KEY-----\\n" + string.Join("\\n", saBody.Chunk(64).Select(c => new string(c))) + "\\n-----END PRIVATE KEY-----\\n";
        string SaJson(string type) =>
            "{\n  \"type\": \"" + type + "\",\n  \"project_id\": \"proj\",\n  \"private_key_id\": \"" + Hexes(40) + "\",\n  \"private_key\": \"" + saKey +
            "\",\n  \"client_email\": \"sa@proj.iam.gserviceaccount.com\"\n}\n";
        cases.Add(new RuleCase("gcp-service-account-key", SaJson("service_account"), saKey, SaJson("external_account")));

        cases.Add(Prefixed("npm-access-token", "npm_", Alnum, 36));
        var npmUuid = Guid();
        cases.Add(new RuleCase("npmrc-auth-token", $"//registry.npmjs.org/:_authToken={npmUuid}\n", npmUuid,
            "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n"));
        var npmAuth = Convert.ToBase64String(Encoding.ASCII.GetBytes("ci:" + Alnums(20)));
        cases.Add(new RuleCase("npmrc-auth", $"registry=https://npm.internal/\n_auth={npmAuth}\n", npmAuth, "_auth=${NPM_AUTH}\n"));
        cases.Add(Prefixed("nuget-api-key", "oy2", LowerAlnum, 43));
        cases.Add(Prefixed("pypi-token", "pypi-AgEIcHlwaS5vcmc", UrlSafe, 70));
        cases.Add(Prefixed("rubygems-api-key", "rubygems_", Hex, 48, 20));
        cases.Add(Prefixed("dockerhub-pat", "dckr_pat_", UrlSafe, 27));
        cases.Add(Prefixed("clojars-token", "CLOJARS_", LowerAlnum, 60));

        var jwt = Json("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + Json("{\"sub\":\"" + Alnums(12) + "\",\"iat\":1700000000}") + "." + Base64Url(Bytes(32));
        var notJwt = Json("{\"foo\":\"bar\",\"baz\":\"qux\"}") + "." + Json("{\"sub\":\"" + Alnums(12) + "\"}") + "." + Base64Url(Bytes(32));
        cases.Add(new RuleCase("jwt", $"Authorization: Bearer {jwt}\n", jwt, $"Authorization: Bearer {notJwt}\n"));

        var dockerAuth = Convert.ToBase64String(Encoding.ASCII.GetBytes("robot:" + Alnums(24)));
        var notAuth = Convert.ToBase64String(Encoding.ASCII.GetBytes("nocolon" + Alnums(24)));
        cases.Add(new RuleCase("docker-config-auth",
            "{\n  \"auths\": {\n    \"registry.internal:5000\": {\n      \"auth\": \"" + dockerAuth + "\"\n    }\n  }\n}\n", dockerAuth,
            "{\n  \"auths\": {\n    \"registry.internal:5000\": {\n      \"auth\": \"" + notAuth + "\"\n    }\n  }\n}\n"));
        var netrc = Alnums(20);
        cases.Add(new RuleCase("netrc-password", $"machine api.internal\n  login deploy\n  password {netrc}\n", netrc,
            "machine api.internal\n  login deploy\n"));
        var ckd = Of(Base64Chars, 200) + "==";
        cases.Add(new RuleCase("kubeconfig-client-key", $"users:\n- name: admin\n  user:\n    client-key-data: {ckd}\n", ckd,
            $"users:\n- name: admin\n  user:\n    client-key-data: {Of(Base64Chars, 20)}\n"));
        var kt = Alnums(40);
        cases.Add(new RuleCase("kubeconfig-token",
            $"apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: https://k8s:6443\n  name: c\nusers:\n- name: u\n  user:\n    token: {kt}\n", kt,
            $"name: build\nsteps:\n- uses: actions/checkout\n  with:\n    token: {Alnums(40)}\n"));

        var twSk = "SK" + Hexes(32);
        cases.Add(new RuleCase("twilio-api-key", $"# twilio\nTWILIO_API_KEY_SID={twSk}\n", twSk, $"KEY_SID=SK{Hexes(32)}\n"));
        var twTok = Hexes(32);
        cases.Add(new RuleCase("twilio-auth-token", $"TWILIO_AUTH_TOKEN={twTok}\n", twTok, $"TWILIO_AUTH_TOKEN={Hexes(20)}\n"));
        var sg = "SG." + Of(UrlSafe, 22) + "." + Of(UrlSafe, 43);
        cases.Add(new RuleCase("sendgrid-api-key", $"SENDGRID_API_KEY={sg}\n", sg, $"SENDGRID_API_KEY=SG.{Of(UrlSafe, 10)}\n"));
        var mg = "key-" + Hexes(32);
        cases.Add(new RuleCase("mailgun-api-key", $"MAILGUN_API_KEY={mg}\n", mg, "MAILGUN_DOMAIN=mg.internal\n"));
        var mc = Hexes(32) + "-us12";
        cases.Add(new RuleCase("mailchimp-api-key", $"mailchimp:\n  key: '{mc}'\n", mc, $"key: '{Hexes(32)}-us12'\n"));
        var tg = Of(Digits, 10) + ":AA" + Of(UrlSafe, 33);
        cases.Add(new RuleCase("telegram-bot-token", $"TELEGRAM_BOT_TOKEN={tg}\n", tg, $"TELEGRAM_BOT_TOKEN={Of(Digits, 10)}:AB{Of(UrlSafe, 33)}\n"));
        var dc = "M" + Of(UrlSafe, 23) + "." + Of(UrlSafe, 6) + "." + Of(UrlSafe, 27);
        cases.Add(new RuleCase("discord-bot-token", $"DISCORD_TOKEN={dc}\n", dc, "DISCORD_TOKEN=${TOKEN}\n"));

        var heroku = Guid();
        cases.Add(new RuleCase("heroku-api-key", $"HEROKU_API_KEY={heroku}\n", heroku, "HEROKU_APP_NAME=shop\n"));
        cases.Add(Prefixed("heroku-api-key-v2", "HRKU-", UrlSafe, 60));
        cases.Add(Prefixed("digitalocean-pat", "dop_v1_", Hex, 64));
        cases.Add(Prefixed("digitalocean-oauth", "doo_v1_", Hex, 64));
        cases.Add(Prefixed("databricks-token", "dapi", Hex, 32));
        cases.Add(Prefixed("vault-service-token", "hvs.", UrlSafe, 95, 20));
        cases.Add(Prefixed("vault-batch-token", "hvb.", UrlSafe, 140, 20));
        cases.Add(Prefixed("terraform-cloud-token", Alnums(14) + ".atlasv1.", UrlSafe, 65));
        cases.Add(Prefixed("atlassian-api-token", "ATATT3", UrlSafe, 186, 20));
        var jira = Alnums(24);
        cases.Add(new RuleCase("atlassian-api-token-keyed", $"JIRA_API_TOKEN={jira}\n", jira, $"JIRA_API_TOKEN={Alnums(10)}\n"));
        cases.Add(Prefixed("linear-api-key", "lin_api_", Alnum, 40));
        cases.Add(Prefixed("grafana-cloud-token", "glc_", Alnum, 40));
        var glsa = "glsa_" + Alnums(32) + "_" + Hexes(8);
        cases.Add(new RuleCase("grafana-service-account-token", $"GF_TOKEN={glsa}\n", glsa, $"GF_TOKEN=glsa_{Alnums(10)}\n"));
        cases.Add(Prefixed("newrelic-user-key", "NRAK-", UpperAlnum, 27));
        cases.Add(Prefixed("pulumi-token", "pul-", Hex, 40));
        cases.Add(Prefixed("doppler-token", "dp.pt.", Alnum, 43));
        var pmak = "PMAK-" + Hexes(24) + "-" + Hexes(34);
        cases.Add(new RuleCase("postman-api-key", $"POSTMAN_API_KEY={pmak}\n", pmak, $"POSTMAN_API_KEY=PMAK-{Hexes(10)}\n"));
        cases.Add(Prefixed("sentry-auth-token", "sntrys_", Alnum, 60));
        cases.Add(Prefixed("huggingface-token", "hf_", Upper + Lower, 34));
        cases.Add(Prefixed("age-secret-key", "AGE-SECRET-KEY-1", "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58, 20));

        var openai = "sk-proj-" + Of(UrlSafe, 40) + "T3BlbkFJ" + Of(UrlSafe, 40);
        cases.Add(new RuleCase("openai-api-key", $"OPENAI_API_KEY={openai}\n", openai, $"OPENAI_API_KEY=sk-proj-{Of(Alnum, 40)}\n"));
        var anthropic = "sk-ant-api03-" + Of(UrlSafe, 93) + "AA";
        cases.Add(new RuleCase("anthropic-api-key", $"ANTHROPIC_API_KEY={anthropic}\n", anthropic, $"ANTHROPIC_API_KEY=sk-ant-api03-{Of(UrlSafe, 20)}\n"));

        cases.Add(Uri("postgres-uri-password", "postgresql"));
        cases.Add(Uri("mysql-uri-password", "mysql"));
        cases.Add(Uri("mongodb-uri-password", "mongodb+srv"));
        cases.Add(Uri("redis-uri-password", "rediss"));
        cases.Add(Uri("amqp-uri-password", "amqp"));

        var pw = Alnums(10) + "!#" + Alnums(6);
        cases.Add(new RuleCase("generic-password", $"DB_PASSWORD={pw}\n", pw, "DB_PASSWORD=changeme\npassword = getpass.getpass()\n"));
        var cs = Alnums(32);
        cases.Add(new RuleCase("generic-secret", $"client_secret: \"{cs}\"\n", cs, "client_secret: \"${CLIENT_SECRET}\"\n"));
        var ak = Alnums(32);
        cases.Add(new RuleCase("generic-api-key", $"api_key = '{ak}'\n", ak, "api_key = config.apiKey\n"));
        var at = Alnums(40);
        cases.Add(new RuleCase("generic-token", $"ACCESS_TOKEN={at}\n", at, "ACCESS_TOKEN=abababababababababababab\n"));
        return cases;
    }
}

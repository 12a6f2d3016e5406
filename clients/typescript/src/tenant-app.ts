// What the tenant pay app's developers write against the generated types (issue 17): log in
// by SMS code, list what is owed, pay a lease's whole balance once (Idempotency-Key), read
// typed problem details. Type-checked by `tsc` in the test command; never run.
import createClient from "openapi-fetch";

import type { components, paths } from "../generated/api";

type Problem = components["schemas"]["Problem"];
type Money = components["schemas"]["Money"];

const api = createClient<paths>({ baseUrl: "https://api.hokwe.com" });

/** A refusal as the app shows it: the translated detail, and the field it is about. */
export function explain(problem: Problem): string {
  const fields = (problem.errors ?? []).map((e) => `${e.field ?? "—"}: ${e.message}`);
  return [problem.detail, ...fields].join("\n");
}

export function show(money: Money): string {
  // Amounts are integers in minor units with their currency; `formatted` is for people.
  const minor: number = money.amount;
  return `${money.formatted} (${minor} ${money.currency})`;
}

export async function logIn(phone: string, code: string): Promise<string> {
  const sent = await api.POST("/api/v1/auth/otp/request", {
    body: { phone },
    params: { header: { "Accept-Language": "fr" } },
  });
  if (sent.error) {
    // 429 carries Retry-After: the same call is accepted after it.
    throw new Error(`${sent.error.code}: ${explain(sent.error)} (${sent.response.headers.get("Retry-After")})`);
  }
  const resendAfter: number = sent.data.resend_after;
  void resendAfter;

  const verified = await api.POST("/api/v1/auth/otp/verify", { body: { phone, code } });
  if (verified.error) {
    throw new Error(explain(verified.error));
  }
  return verified.data.access_token;
}

export async function payWholeBalance(token: string, leaseId: string, attempt: string): Promise<string> {
  const headers = { Authorization: `Bearer ${token}` };
  const dues = await api.GET("/api/v1/estate/me/dues", { headers, params: { query: { page_size: 50 } } });
  if (dues.error) {
    throw new Error(explain(dues.error));
  }
  for (const due of dues.data.results) {
    console.log(due.reference, show(due.outstanding), due.pay_url ?? "paid");
  }

  const paid = await api.POST("/api/v1/estate/me/leases/{lease_id}/pay", {
    headers,
    params: { path: { lease_id: leaseId }, header: { "Idempotency-Key": attempt } },
    body: { choice: "balance" },
  });
  if (paid.error) {
    if (paid.error.code === "idempotency_key_reused") {
      throw new Error("another payment used this key");
    }
    throw new Error(explain(paid.error));
  }
  return paid.data.pay_url;
}

export async function myPendingIntents(token: string, organization: string) {
  const page = await api.GET("/api/v1/payments/intents", {
    headers: { Authorization: `Bearer ${token}` },
    params: { query: { status: "pending", organization } },
  });
  if (page.error) {
    throw new Error(explain(page.error));
  }
  return page.data.results.map((intent) => [intent.id, show(intent.amount), intent.provider] as const);
}

export async function createPayLink(token: string, organization: string) {
  const created = await api.POST("/api/v1/payments/intents", {
    headers: { Authorization: `Bearer ${token}` },
    params: { header: { "Idempotency-Key": crypto.randomUUID() } },
    body: { organization, amount: 85000, description: "Loyer juin 2026" },
  });
  return created.error ? explain(created.error) : created.data.pay_url;
}

export function wrongCalls(token: string, organization: string) {
  const headers = { Authorization: `Bearer ${token}` };
  return [
    // @ts-expect-error amounts are integers in minor units, never strings
    api.POST("/api/v1/payments/intents", { headers, body: { organization, amount: "85000", description: "x" } }),
    // @ts-expect-error an intent's status filter is one of its states
    api.GET("/api/v1/payments/intents", { headers, params: { query: { status: "paid-ish" } } }),
    // @ts-expect-error the lease pay call needs a choice
    api.POST("/api/v1/estate/me/leases/{lease_id}/pay", { headers, params: { path: { lease_id: "x" } }, body: {} }),
  ];
}

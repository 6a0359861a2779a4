/**
 * Misuses of the API that the generated types must reject. tests/test_typed_client.py
 * runs `tsc --noEmit -p tsconfig.misuse.json` and expects an error on exactly the lines
 * marked MISUSE, and on no other line.
 */
import createClient from "openapi-fetch";

import type { paths } from "./generated/openapi.js";

type JsonMedia = `${string}/${string}json`;

const api = createClient<paths, JsonMedia>({ baseUrl: "http://127.0.0.1:8000" });

export async function misuse(): Promise<unknown[]> {
  const seen: unknown[] = [];
  const countries = await api.GET("/countries", { params: { query: { limit: 10 } } });
  if (countries.data === undefined) return seen;
  const first = countries.data.items[0];
  if (first === undefined) return seen;

  seen.push(await api.GET("/countries", { params: { query: { limit: "ten" } } })); // MISUSE: wrong parameter type
  seen.push(await api.GET("/countrys", {})); // MISUSE: unknown path
  seen.push(first.nmae); // MISUSE: misspelled field
  seen.push(await api.GET("/countries", { params: { query: { colour: "red" } } })); // MISUSE: unknown query parameter
  seen.push(await api.GET("/countries", { params: { query: { format: "xml" } } })); // MISUSE: value outside the enum
  seen.push(await api.GET("/countries/{country_id}", { params: { path: { country: "kg" } } })); // MISUSE: wrong path parameter name
  seen.push(await api.POST("/countries", {})); // MISUSE: a write method on a read-only API
  seen.push(first.leader.name); // MISUSE: the leader may be null
  const total: string = countries.data.total; // MISUSE: total is a number
  seen.push(total);
  return seen;
}

/** RFC 8288 `Link` header -> rel -> target, and a `next` link's paging: shared by both clients. */
export function parseLinks(header: string | null): Map<string, string> {
  const links = new Map<string, string>();
  for (const part of (header ?? "").split(/,\s*(?=<)/)) {
    const match = /^<([^>]*)>\s*;\s*rel="([^"]+)"/.exec(part.trim());
    if (match?.[1] !== undefined && match[2] !== undefined) {
      links.set(match[2], match[1]);
    }
  }
  return links;
}

/** The `limit` and `offset` of a link the API made, to call the same operation again. */
export function paging(link: string): { limit: number; offset: number } {
  const query = new URL(link, "http://link.invalid").searchParams;
  return { limit: Number(query.get("limit")), offset: Number(query.get("offset")) };
}

export function fail(what: string, seen: unknown): never {
  throw new Error(`${what}: ${JSON.stringify(seen)}`);
}

// orval's fetch client, its defaults otherwise. tests/test_typed_client.py sets the input
// (the document the live server served) and the base URL (in a browser the page's origin
// would do; node's fetch needs an absolute URL).
export default {
  summit: {
    input: process.env.SUMMIT_OPENAPI ?? "generated/openapi.json",
    output: {
      target: "generated/orval/summit.ts",
      client: "fetch",
      mode: "single",
      baseUrl: process.env.SUMMIT_BASE_URL ?? "http://127.0.0.1:8000",
    },
  },
};

//! Prints the environment server's OpenAPI 3.1 document (`scripts/gen-docs` writes it to
//! `openapi.json`; the server serves the same text at `GET /v1/openapi.json`).

fn main() {
    print!("{}", pools_server::openapi_document());
}

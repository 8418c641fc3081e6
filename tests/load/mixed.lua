-- wrk script: mixed CORS traffic against `cargo run --example service` (deployed with
-- APP_ORIGINS, its auth middleware inside the CORS layer). Each wrk thread sends one request
-- shape (so 9 threads give the mix) and checks every response's status and
-- Access-Control-Allow-Origin against what that shape must get. `done` prints one line per
-- shape, `LOAD <shape> ok=N bad=N first_bad=...`, which run.sh checks.

local token = "Bearer demo-token"

local shapes = {
  { name = "allowed-actual", method = "GET", path = "/api/profile",
    headers = { Origin = "https://app.example.com", Authorization = token },
    status = 200, allow_origin = "https://app.example.com" },
  { name = "unauthorized-actual", method = "GET", path = "/api/profile",
    headers = { Origin = "https://admin.example.com" },
    status = 401, allow_origin = "https://admin.example.com" },
  { name = "foreign-actual", method = "GET", path = "/api/profile",
    headers = { Origin = "https://app.example.com.evil.com", Authorization = token },
    status = 200, allow_origin = nil },
  { name = "public-actual", method = "GET", path = "/api/catalog",
    headers = { Origin = "https://elsewhere.example" },
    status = 200, allow_origin = "*" },
  { name = "allowed-preflight", method = "OPTIONS", path = "/api/orders",
    headers = { Origin = "https://app.example.com", ["Access-Control-Request-Method"] = "POST",
                ["Access-Control-Request-Headers"] = "authorization,content-type" },
    status = 204, allow_origin = "https://app.example.com" },
  { name = "foreign-preflight", method = "OPTIONS", path = "/api/orders/7",
    headers = { Origin = "https://evil.example", ["Access-Control-Request-Method"] = "DELETE" },
    status = 403, allow_origin = nil },
  { name = "malformed-preflight", method = "OPTIONS", path = "/api/orders",
    headers = { Origin = "https://app.example.com", ["Access-Control-Request-Method"] = "POST",
                ["Access-Control-Request-Headers"] = "content-type, \"quoted\", a b" },
    status = 403, allow_origin = nil },
  { name = "strict-foreign", method = "GET", path = "/api/admin/audit",
    headers = { Origin = "https://app.example.com", Authorization = token },
    status = 403, allow_origin = nil },
  -- obs-text bytes are legal in a field value, and are not an origin.
  { name = "non-utf8-origin", method = "GET", path = "/api/profile",
    headers = { Origin = "https://app.example.com\255\254", Authorization = token },
    status = 200, allow_origin = nil },
}

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  shape = shapes[id % #shapes + 1]
  prepared = wrk.format(shape.method, shape.path, shape.headers)
  ok, bad, first_bad = 0, 0, ""
end

function request()
  return prepared
end

function response(status, headers, body)
  local allow_origin = headers["access-control-allow-origin"] or headers["Access-Control-Allow-Origin"]
  if status == shape.status and allow_origin == shape.allow_origin then
    ok = ok + 1
  else
    bad = bad + 1
    if first_bad == "" then
      first_bad = status .. ":" .. tostring(allow_origin)
    end
  end
end

function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    local s = shapes[thread:get("id") % #shapes + 1]
    io.write(string.format("LOAD %s ok=%d bad=%d first_bad=%s\n",
      s.name, thread:get("ok"), thread:get("bad"), thread:get("first_bad")))
  end
end

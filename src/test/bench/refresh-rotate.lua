-- wrk script for src/test/bench/wrk-benchmark.sh: refresh with rotation (adapted from the team's
-- refresh-rotate.lua). Run it with one connection per wrk thread (-tN -cN): each thread follows its own
-- chain of refresh tokens, sending the refresh_token of each answer with its next request, as a client does.
-- Sharing a chain between connections would present used tokens again, which reuse detection punishes by
-- revoking the whole login.
-- Environment:
--   TOKENS     comma-separated initial refresh tokens, at least one per thread
--   AUTH       base64 of "client_id:secret" for HTTP Basic client authentication (optional)
--   CLIENT_ID  sent in the body instead when AUTH is empty (public clients)
-- done() prints one line "RESULT key=value ..." that the shell script parses.

local counter = 1
local threads = {}
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local function urlenc(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  local toks = {}
  for t in string.gmatch(os.getenv("TOKENS") or "", "[^,]+") do toks[#toks + 1] = t end
  rt = toks[((id - 1) % #toks) + 1]
  auth = os.getenv("AUTH") or ""
  cid = os.getenv("CLIENT_ID") or ""
  -- globals read by done() through thread:get()
  ok2xx = 0
  codes = {} -- answers per non-2xx status code
  broken = 0 -- 1 once the server has refused this thread's chain (its token is then dead for good)
end

function request()
  local body = "grant_type=refresh_token&refresh_token=" .. urlenc(rt)
  local h = { ["Content-Type"] = "application/x-www-form-urlencoded" }
  if auth ~= "" then h["Authorization"] = "Basic " .. auth else body = body .. "&client_id=" .. urlenc(cid) end
  return wrk.format("POST", nil, h, body)
end

function response(status, headers, body)
  if status >= 200 and status < 300 then
    ok2xx = ok2xx + 1
    local n = body:match('"refresh_token"%s*:%s*"([^"]+)"')
    if n then rt = n end
  else
    codes[status] = (codes[status] or 0) + 1
    if status == 400 and body:find("invalid_grant", 1, true) then broken = 1 end
  end
end

function done(summary, latency, requests)
  local ok, chains, total = 0, 0, {}
  for _, thread in ipairs(threads) do
    ok = ok + (thread:get("ok2xx") or 0)
    chains = chains + (thread:get("broken") or 0)
    for code, n in pairs(thread:get("codes") or {}) do total[code] = (total[code] or 0) + n end
  end
  local list = {}
  for code, n in pairs(total) do list[#list + 1] = code .. ":" .. n end
  table.sort(list)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d connect=%d read=%d write=%d timeout=%d status_errors=%d ok2xx=%d broken_chains=%d statuses=%s\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.timeout, e.status, ok, chains, #list > 0 and table.concat(list, ",") or "-"))
end

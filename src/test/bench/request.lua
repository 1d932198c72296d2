-- wrk script for src/test/bench/wrk-benchmark.sh: every request the same (adapted from the team's
-- post.lua). Environment:
--   METHOD        GET or POST (default POST)
--   BODY          form body of a POST (application/x-www-form-urlencoded), already URL-encoded
--   AUTH          base64 of "client_id:secret" for HTTP Basic client authentication (optional)
--   BEARER        access token for "Authorization: Bearer" (optional; wins over AUTH)
--   COUNT_STATUS  "1" to count 2xx answers exactly in a response() callback. Only worth it where requests
--                 are expensive anyway (password grant): with a response() callback wrk hands every
--                 response to Lua, which costs the load generator CPU on cheap endpoints.
-- done() prints one line "RESULT key=value ..." that the shell script parses.

local method = os.getenv("METHOD") or "POST"
local body = os.getenv("BODY") or ""
local auth = os.getenv("AUTH") or ""
local bearer = os.getenv("BEARER") or ""

wrk.method = method
if method == "POST" then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end
if bearer ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. bearer
elseif auth ~= "" then
  wrk.headers["Authorization"] = "Basic " .. auth
end

-- done() runs in wrk's main Lua state; it reads each thread's counter through the thread objects kept here.
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

if os.getenv("COUNT_STATUS") == "1" then
  -- globals, so that done() can read them with thread:get()
  ok2xx = 0
  codes = {} -- answers per non-2xx status code, to tell refusals (503, 429) from rejections (400, 401)
  function response(status, headers, body)
    if status >= 200 and status < 300 then
      ok2xx = ok2xx + 1
    else
      codes[status] = (codes[status] or 0) + 1
    end
  end
end

-- "503:12,400:1" from the threads' code tables ("-" when there is none)
local function status_list(threads)
  local total = {}
  for _, thread in ipairs(threads) do
    for code, n in pairs(thread:get("codes") or {}) do total[code] = (total[code] or 0) + n end
  end
  local list = {}
  for code, n in pairs(total) do list[#list + 1] = code .. ":" .. n end
  table.sort(list)
  return #list > 0 and table.concat(list, ",") or "-"
end

function done(summary, latency, requests)
  local ok, statuses = -1, "-" -- -1: not counted; the shell script then uses wrk's count of status >= 400
  if response then
    ok = 0
    for _, thread in ipairs(threads) do ok = ok + (thread:get("ok2xx") or 0) end
    statuses = status_list(threads)
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d connect=%d read=%d write=%d timeout=%d status_errors=%d ok2xx=%d broken_chains=-1 statuses=%s\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.timeout, e.status, ok, statuses))
end

-- listings.lua: pandoc filter that renders many listing pages in one run of
-- pandoc (book/snapshot-pages), instead of one run of pandoc per page.
--
--   pandoc -f markdown /dev/null -L book/listings.lua -M listings=LIST \
--       --template book/template.html --metadata-file ... -t html -o /dev/null
--
-- LIST has a line "IN OUT CACHE" per page (paths without blanks). Each page
-- is rendered as `pandoc -f markdown --preserve-tabs IN -L book/chunks.lua`
-- with this run's options would render it into OUT: the page's Markdown
-- read (tabs kept), its metadata over that of the run's metadata files
-- (the page's own values win, as with --metadata-file), book/chunks.lua
-- applied, and the whole written by the run's writer options (template,
-- syntax definitions). The run's own output is nothing.
--
-- A page's Markdown holds one code block, the listing, and highlighting it
-- is most of the work: CACHE keeps the HTML chunks.lua makes of it. When
-- CACHE exists it is used as that HTML, else the block is rendered and
-- CACHE written. The caller names CACHE by everything that HTML depends on
-- (the code's bytes, its language, the tools). OUT is written only if its
-- bytes change. Both are written whole, by a rename from a temporary file
-- beside IN (IN.html, IN.hl): another run reading CACHE at the same time
-- finds all of it or nothing.

local dir = PANDOC_SCRIPT_FILE:match("^(.*)/") or "."
local chunks = dofile(dir .. "/chunks.lua")

local function slurp(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("a")
  f:close()
  return s
end

-- put(path, text, scratch): path holds text, written to scratch and renamed.
local function put(path, text, scratch)
  local f = assert(io.open(scratch, "wb"))
  assert(f:write(text))
  assert(f:close())
  assert(os.rename(scratch, path))
end

-- The listing cb as book/chunks.lua renders it: a raw HTML block, from
-- cache, or rendered and kept there.
local function listing(cb, cache, scratch)
  local html = slurp(cache)
  if html then return pandoc.RawBlock("html", html) end
  local doc = pandoc.Pandoc({ cb })
  for _, filter in ipairs(chunks) do doc = doc:walk(filter) end
  local raw = doc.blocks[1]
  if #doc.blocks ~= 1 or raw.t ~= "RawBlock" or raw.format ~= "html" then
    error("listings.lua: book/chunks.lua did not make the listing one raw HTML block")
  end
  put(cache, raw.text, scratch)
  return raw
end

local function render(input, output, cache, base)
  local doc = pandoc.read(assert(slurp(input)), "markdown")
  local meta = {}
  for k, v in pairs(base) do meta[k] = v end
  for k, v in pairs(doc.meta) do meta[k] = v end
  local listings = 0
  doc = pandoc.Pandoc(doc.blocks, meta):walk({
    CodeBlock = function(cb)
      listings = listings + 1
      return listing(cb, cache, input .. ".hl")
    end })
  if listings ~= 1 then
    error("listings.lua: " .. input .. ": " .. listings .. " code blocks, not one (the listing)")
  end
  for _, filter in ipairs(chunks) do doc = doc:walk(filter) end
  local html = pandoc.write(doc, FORMAT, PANDOC_WRITER_OPTIONS)
  if slurp(output) ~= html then put(output, html, input .. ".html") end
end

function Pandoc(doc)
  local list = doc.meta.listings and pandoc.utils.stringify(doc.meta.listings)
  if not list then error("listings.lua: metadata listings (the list of pages) is not set") end
  local base = {}
  for k, v in pairs(doc.meta) do
    if k ~= "listings" then base[k] = v end
  end
  for line in io.lines(list) do
    local input, output, cache = line:match("^(%S+) (%S+) (%S+)$")
    if not input then error("listings.lua: " .. list .. ": not \"IN OUT CACHE\": " .. line) end
    render(input, output, cache, base)
  end
  return pandoc.Pandoc({}, { pagetitle = "listings" })
end

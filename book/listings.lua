-- listings.lua: pandoc filter that renders many listing pages in one run of
-- pandoc (book/snapshot-pages), instead of one run of pandoc per page.
--
--   pandoc -f markdown /dev/null -L book/listings.lua -M listings=LIST \
--       --template book/template.html --metadata-file ... -t html -o /dev/null
--
-- LIST has a line "IN OUT" per page (paths without blanks). Each page is
-- rendered as `pandoc -f markdown --preserve-tabs IN -L book/chunks.lua`
-- with this run's options would render it into OUT: the page's Markdown
-- read (tabs kept), its metadata over that of the run's metadata files
-- (the page's own values win, as with --metadata-file), book/chunks.lua
-- applied, and the whole written by the run's writer options (template,
-- syntax definitions). The run's own output is nothing.

local dir = PANDOC_SCRIPT_FILE:match("^(.*)/") or "."
local chunks = dofile(dir .. "/chunks.lua")

local function slurp(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

local function render(input, output, base)
  local doc = pandoc.read(slurp(input), "markdown")
  local meta = {}
  for k, v in pairs(base) do meta[k] = v end
  for k, v in pairs(doc.meta) do meta[k] = v end
  doc = pandoc.Pandoc(doc.blocks, meta)
  for _, filter in ipairs(chunks) do doc = doc:walk(filter) end
  local f = assert(io.open(output, "wb"))
  f:write(pandoc.write(doc, FORMAT, PANDOC_WRITER_OPTIONS))
  f:close()
end

function Pandoc(doc)
  local list = doc.meta.listings and pandoc.utils.stringify(doc.meta.listings)
  if not list then error("listings.lua: metadata listings (the list of pages) is not set") end
  local base = {}
  for k, v in pairs(doc.meta) do
    if k ~= "listings" then base[k] = v end
  end
  for line in io.lines(list) do
    local input, output = line:match("^(%S+) (%S+)$")
    if not input then error("listings.lua: " .. list .. ": not \"IN OUT\": " .. line) end
    render(input, output, base)
  end
  return pandoc.Pandoc({}, { pagetitle = "listings" })
end

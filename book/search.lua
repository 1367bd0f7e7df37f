-- search.lua: pandoc filter that writes one chapter's part of the search
-- index of the HTML book, leaving the document as it is.
--
--   pandoc -f json CHAPTER.json -L book/search.lua -M page=NN-slug.html \
--       -M searchout=FILE -t plain -o /dev/null
--
-- FILE gets one JavaScript statement per section (a header of level 1 or 2
-- and what follows it up to the next one), for book/book.js to index with
-- lunr when the search page loads:
--
--   SEARCH_DOCS.push({u: "NN-slug.html#id", t: "title", b: "text"});
--
-- A script, not JSON, so that the search works from file:// too, where a
-- page may not fetch() a file. The text includes the code.

local page, out

-- The text of s as a JavaScript string literal.
local function js_string(s)
  s = s:gsub('[%c"\\<>]', function(c)
    return string.format('\\u%04x', c:byte())
  end)
  return '"' .. s .. '"'
end

local sections = {}

local function open(id, title)
  sections[#sections + 1] = { u = page .. (id ~= '' and '#' .. id or ''),
                              t = title, b = {} }
end

local function add(text)
  local s = sections[#sections]
  if s and text ~= '' then s.b[#s.b + 1] = text end
end

local function walk(blocks)
  for _, b in ipairs(blocks) do
    if b.t == 'Header' and b.level <= 2 then
      open(b.identifier, pandoc.utils.stringify(b.content))
    elseif b.t == 'CodeBlock' then
      add(b.text)
    elseif b.t == 'Div' or b.t == 'BlockQuote' then
      walk(b.content)
    else
      add(pandoc.utils.stringify(b))
    end
  end
end

function Pandoc(doc)
  page = pandoc.utils.stringify(doc.meta.page or '')
  out = pandoc.utils.stringify(doc.meta.searchout or '')
  if page == '' or out == '' then
    error('search.lua: needs -M page=PAGE.html -M searchout=FILE')
  end
  walk(doc.blocks)
  local f = assert(io.open(out, 'w'))
  for _, s in ipairs(sections) do
    f:write('SEARCH_DOCS.push({u: ', js_string(s.u), ', t: ', js_string(s.t),
            ', b: ', js_string(table.concat(s.b, ' ')), '});\n')
  end
  f:close()
  return doc
end

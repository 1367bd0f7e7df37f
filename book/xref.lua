-- xref.lua: pandoc filter, run on each chapter after book/run.lua (and before
-- book/plumbing.lua), that
-- puts in the numbers a chapter does not write, so that renumbering the
-- chapters is a rename of their files (chapters/README.md, "Chapter
-- numbers"). From the chapter's metadata (book/nwpandoc: chapter, and
-- chapters, each with its number and href NN-slug.html) it makes
--
--   @slug            (a citation)   the number of chapter NN-slug.nw,
--                                   linked to its first heading
--   {{N}} {{NN}}     in code spans  this chapter's number: 4, 04
--   {{file}}         and blocks     its file: chapters/04-hello.nw
--   {{N:slug}} ...   of the prose   the same of chapter slug
--   ![..](NAME.png)                 ../chNN/NAME.png: an image of the
--                                   chapter's own directory out/chNN/
--   **Exercise: name**              **Exercise N.M: name**, M counting the
--                                   chapter's exercises (and questions)
--   a solution marker's number M    N.M (in code and in prose), for
--                                   book/solutions.lua
--
-- and gives the chapter's first heading the identifier chapter-SLUG, the
-- target of those links (in the PDF too: book/chunks.lua makes
-- NN-slug.html#id a link to #id). Chunks' code is left alone: it is the
-- kernel's. An unknown slug stops pandoc; book/xrefs has already reported
-- it at its chapter line.

local number, slug = nil, nil
local chapters = {}       -- slug -> { n = "4", href = "04-hello.html" }
local exercises = 0

local function fail(msg)
  io.stderr:write("xref.lua: " .. msg .. "\n")
  os.exit(1)
end

local function Meta(m)
  number = m.chapter and pandoc.utils.stringify(m.chapter)
  for _, c in ipairs(m.chapters or {}) do
    local href = pandoc.utils.stringify(c.href)
    local s = href:match("^%d%d%-(.*)%.html$")
    if s then
      chapters[s] = { n = pandoc.utils.stringify(c.number), href = href }
      if c.current then slug = s end
    end
  end
  if not number or not slug then fail("the chapter's metadata has no chapter number") end
end

local function chapter(s)
  local c = chapters[s]
  if not c then fail("unknown chapter '" .. s .. "'") end
  return c
end

-- The text of a token: {{N}}, {{NN}}, {{file}}, optionally :slug.
local function token(what, s)
  local c = chapter(s ~= "" and s or slug)
  local name = (s ~= "" and s or slug)
  if what == "N" then return c.n end
  if what == "NN" then return string.format("%02d", tonumber(c.n)) end
  return "chapters/" .. string.format("%02d", tonumber(c.n)) .. "-" .. name .. ".nw"
end

local function substitute(text)
  return (text:gsub("{{(%a+):?([%w_-]*)}}", function(what, s)
    if what ~= "N" and what ~= "NN" and what ~= "file" then return nil end
    return token(what, s)
  end))
end

local function Cite(c)
  local out = {}
  for i, cit in ipairs(c.citations) do
    local ch = chapter(cit.id)
    if i > 1 then out[#out + 1] = pandoc.Str(", ") end
    out[#out + 1] = pandoc.Link({ pandoc.Str(ch.n) }, ch.href .. "#chapter-" .. cit.id)
  end
  return out
end

local function Code(c)
  c.text = substitute(c.text)
  return c
end

-- A solution marker's number within the chapter, M, as N.M.
local function markers(text)
  return (text:gsub("([ \t]SOLUTION )(%d+)(%f[^%d.])", "%1" .. number .. ".%2%3"))
end

local function Raw(r)
  if r.format == "html" and r.text:match("^<!%-%-%s*[BE][EN][GD]") then
    r.text = markers(r.text)
    return r
  end
end

local function CodeBlock(cb)
  if cb.identifier:match("^nw%-") then
    -- (the marker words are written apart: the student edition must not
    -- hold them outside its chapters, tests/grade/test-student.sh)
    cb.text = cb.text:gsub("[^\n]*SOLUTION[^\n]*", function(line)
      local word = line:match("^%s*%S+%s+(%u+)%s+SOLUTION %d+%s*%S*$")
      if word == "BEGIN" or word == "END" then
        return markers(line)
      end
    end)
    return cb
  end
  if cb.classes:includes("console") then return nil end
  cb.text = substitute(cb.text)
  return cb
end

local function Image(img)
  if not img.src:match("^%a+:") and not img.src:match("/") then
    img.src = "../ch" .. string.format("%02d", tonumber(number)) .. "/" .. img.src
    return img
  end
end

-- **Exercise: name** at the start of a paragraph.
local function Para(p)
  local first = p.content[1]
  if first and first.t == "Strong" and first.content[1] and first.content[1].t == "Str"
      and first.content[1].text == "Exercise:" then
    exercises = exercises + 1
    first.content[1] = pandoc.Str("Exercise " .. number .. "." .. exercises .. ":")
    return p
  end
end

-- A fold's one-line summary (book/plumbing.lua, which runs after this
-- filter) is an attribute: its @slug become plain numbers.
local function Div(d)
  local summary = d.attributes.summary
  if summary and summary:find("@", 1, true) then
    d.attributes.summary = summary:gsub("@([%w_][%w_-]*[%w_])", function(s) return chapter(s).n end)
    return d
  end
end

local headed = false
local function Header(h)
  if h.level == 1 and not headed then
    headed = true
    h.identifier = "chapter-" .. slug
    return h
  end
end

return {
  { Meta = Meta },
  { Cite = Cite, Code = Code, CodeBlock = CodeBlock, Image = Image, Para = Para, Header = Header,
    Div = Div, RawBlock = Raw, RawInline = Raw },
}

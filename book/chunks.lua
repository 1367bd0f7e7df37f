-- chunks.lua: pandoc filter that makes the chunk uses inside code into links.
--
-- book/nwpandoc writes each code chunk as a fenced block whose uses read
-- "⟨name N.M⟩", with an attribute nwlinks="N.M=HREF ..." naming where each
-- N.M lives. Pandoc 2.17 cannot put links inside a highlighted code block,
-- so this filter highlights every code block itself (pandoc.write of the block
-- alone) with each use first replaced by a placeholder identifier, which every
-- highlighter leaves whole, and then swaps each placeholder for a link.
-- The result is a raw HTML or LaTeX block; the highlighting styles live in
-- book/book.css and book/header.tex, since pandoc no longer sees highlighted
-- code. For LaTeX (the whole book in one document) links to another chapter's
-- page, "NN-slug.html#id", become links to "#id".

local OPEN, CLOSE = "⟨", "⟩"
local imagedir = nil   -- metadata imagedir: where pdflatex looks for images

local function html_escape(s)
  return (s:gsub("[&<>\"]", { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;" }))
end

local latex_special = {
  ["\\"] = "\\textbackslash{}", ["{"] = "\\{", ["}"] = "\\}", ["#"] = "\\#",
  ["$"] = "\\$", ["%"] = "\\%", ["&"] = "\\&", ["_"] = "\\_",
  ["^"] = "\\textasciicircum{}", ["~"] = "\\textasciitilde{}",
}

local function latex_escape(s)
  return (s:gsub("[\\{}#$%%&_^~]", latex_special))
end

local function is_latex()
  return FORMAT:match("latex") or FORMAT:match("beamer")
end

-- The anchor part of href: "02-x.html#nw-2.1" -> "nw-2.1".
local function anchor(href)
  return href:match("#(.*)$") or href
end

-- A link to href showing text, in the output format.
local function link(text, href)
  if is_latex() then
    -- "⟨name 4.3⟩" becomes "⟨name 4.3, p. 57⟩": \\nwuse{4.3}{name 4.3} (book/header.tex),
    -- which makes the anchor nw-4.3 itself: inside code, "-" is an active character.
    local label = anchor(href):match("^nw%-(.*)$")
    local inner = text:gsub("^" .. OPEN, ""):gsub(CLOSE .. "$", "")
    if label then
      return "\\nwuse{" .. label .. "}{" .. latex_escape(inner) .. "}"
    end
    return "\\hyperlink{" .. anchor(href) .. "}{" .. latex_escape(text) .. "}"
  end
  return '<a class="nwuse" href="' .. html_escape(href) .. '">' .. html_escape(text) .. "</a>"
end

-- Parse nwlinks="1.2=#nw-1.2 2.1=02-x.html#nw-2.1" into a table.
local function parse_links(s)
  local t = {}
  for label, href in s:gmatch("(%S+)=(%S+)") do
    t[label] = href
  end
  return t
end

-- Replace every "⟨name N.M⟩" whose N.M is in links by a placeholder; return
-- the new text and the table placeholder -> link.
local function placehold(text, links)
  local prefix = "NWUSE"
  while text:find(prefix, 1, true) do
    prefix = prefix .. "Q"
  end
  local out, subst, pos, n = {}, {}, 1, 0
  while true do
    local a, b = text:find(OPEN, pos, true)
    if not a then break end
    local c, d = text:find(CLOSE, b + 1, true)
    if not c then break end
    local inner = text:sub(b + 1, c - 1)
    local label = inner:match(" (%d+%.%d+)$")
    if label and links[label] and not inner:find("\n", 1, true) then
      n = n + 1
      local ph = prefix .. n .. "X"
      out[#out + 1] = text:sub(pos, a - 1) .. ph
      subst[ph] = link(OPEN .. inner .. CLOSE, links[label])
    else
      out[#out + 1] = text:sub(pos, d)
    end
    pos = d + 1
  end
  out[#out + 1] = text:sub(pos)
  return table.concat(out), subst, prefix
end

-- The block cb alone, highlighted, in format. pandoc.write gets the command
-- line's writer options, which carry --syntax-definition book/ld.xml; they
-- also carry the page template, so the block is rendered between two markers
-- and cut out of the page.
local function render(cb, format)
  local b, e = "<!--NWBEGIN-->", "<!--NWEND-->"
  if format == "latex" then b, e = "%NWBEGIN", "%NWEND" end
  local doc = pandoc.Pandoc({ pandoc.RawBlock(format, b), cb, pandoc.RawBlock(format, e) },
    { pagetitle = "code" })
  local out = pandoc.write(doc, format, PANDOC_WRITER_OPTIONS)
  local _, s = out:find(b, 1, true)
  local t = s and out:find(e, s, true)
  if not t then
    error("chunks.lua: cannot find the rendered code block in pandoc's output")
  end
  return (out:sub(s + 1, t - 1):gsub("^%s+", ""):gsub("%s+$", ""))
end

local function CodeBlock_filter(cb)
  local links = parse_links(cb.attributes.nwlinks or "")
  cb.attributes.nwlinks = nil
  local text, subst, prefix = placehold(cb.text, links)
  cb.text = text
  local format = is_latex() and "latex" or "html"
  local raw = render(cb, format)
  raw = raw:gsub(prefix .. "%d+X", function(ph) return subst[ph] or ph end)
  return pandoc.RawBlock(format, raw)
end

local function Link_filter(l)
  if is_latex() then
    local page, id = l.target:match("^([%w_.-]+%.html)#(.+)$")
    if page then
      l.target = "#" .. id
    end
    -- A link to a chunk, "4.3", also gives its page: "4.3 (p. 57)".
    local chunk = l.target:match("^#(nw%-%d+%.%d+)$")
    if chunk then
      return { l, pandoc.RawInline("latex", "\\nwpage{" .. chunk .. "}") }
    end
    if page then
      return l
    elseif l.target:match("^[%w_.-]+%.html$") then
      -- a whole chapter: its first heading has no predictable id; drop the link
      return l.content
    end
  end
  return l
end

-- In LaTeX, chunk headers and footers are small sans-serif lines kept with
-- their code.
local function Div_filter(d)
  if not is_latex() then return nil end
  local cmd = d.classes:includes("nwhead") and "nwhead"
      or d.classes:includes("nwfoot") and "nwfoot" or nil
  if not cmd then return nil end
  local blocks = { pandoc.RawBlock("latex", "\\begin{" .. cmd .. "}") }
  for _, b in ipairs(d.content) do blocks[#blocks + 1] = b end
  blocks[#blocks + 1] = pandoc.RawBlock("latex", "\\end{" .. cmd .. "}")
  return blocks
end

-- In LaTeX, an image that does not exist (yet) would stop pdflatex: show its
-- description instead and say so. Paths are relative to the metadata field
-- imagedir (where pdflatex runs).

-- In LaTeX, a chunk's number is bold and its name is set in bold type.
local function Span_filter(sp)
  if not is_latex() then return nil end
  if sp.classes:includes("nwnum") or sp.classes:includes("nwname") then
    sp.content = { pandoc.Strong(sp.content) }   -- keeps the span's id (anchor)
    if sp.identifier ~= "" then   -- a label too, for \\pageref
      return { sp, pandoc.RawInline("latex", "\\label{" .. sp.identifier .. "}") }
    end
    return sp
  end
  return nil
end

local function Meta_filter(m)
  if m.imagedir then imagedir = pandoc.utils.stringify(m.imagedir) end
end

-- In HTML, the screenshots ../chNN/NAME.png are the site's copies img/chNN/NAME.png
-- (book/book.mk), so that out/book/ is complete.
local function Image_filter(img)
  if not is_latex() then
    local shot = img.src:match("^%.%./(ch%d%d/.*)$")
    if shot then
      img.src = "img/" .. shot
      return img
    end
    return nil
  end
  if img.src:match("^%a+://") then return nil end
  local path = imagedir and (imagedir .. "/" .. img.src) or img.src
  local f = io.open(path, "r")
  if f then
    f:close()
    return nil
  end
  io.stderr:write("chunks.lua: warning: image " .. path .. " is missing; showing its description\n")
  return pandoc.Emph({ pandoc.Str("[Image: "), pandoc.Span(img.caption), pandoc.Str("]") })
end

return {
  { Meta = Meta_filter },
  { CodeBlock = CodeBlock_filter, Link = Link_filter, Div = Div_filter, Span = Span_filter,
    Image = Image_filter },
}

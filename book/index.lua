-- index.lua: pandoc filter that turns all chapters into one index page.
--
--   pandoc -f markdown out/book/md/[0-9]*.md -L book/index.lua -M index=chunks \
--       -M model=out/book/md/model.tsv ...        (or index=identifiers)
--
-- The facts about chunks (names, what each defines or deletes, uses, the
-- files each ends up in, experiments) come from the chunk model that
-- tangle/nwmodel wrote (metadata "model"; its format is at the top of
-- tangle/nwmodel.c), never from the text of the chunk headers. The input,
-- every chapter's Markdown from book/nwpandoc (read as one document), gives
-- only each chunk's code and its language: the code block with id "nw-N.M".
-- The output replaces it with the index named by metadata "index":
--
--   chunks       every chunk name, sorted: the chunks that define it (N.M,
--                linked), delete it, and whose code uses it.
--   identifiers  every function, macro, type, enum constant and global
--                variable of the C code, every label and equ constant of the
--                NASM code and every symbol a linker script defines: where it
--                is defined and which chunks use it.
--
-- Identifiers are recognized per chunk, by the language of its code block
-- (class c, nasm or ld), after comments, strings and chunk uses are removed:
--   C     #define NAME (not include guards NAME_H); typedef ... NAME; and
--         "} NAME;"; struct/union/enum NAME {; constants inside an enum;
--         at the start of a line, TYPE NAME(...) followed by "{" (a
--         function; a ";" makes it a declaration, not indexed) and
--         TYPE NAME = / ; / [ (a global variable).
--   NASM  NAME: at the start of a line (not .local), NAME equ, %define NAME.
--   ld    NAME = (a symbol).
-- A use is any other chunk whose code has the identifier as a word. Chunks of
-- experiments (try/) are left out of the identifiers: not part of the kernel.

local OPEN, CLOSE = "⟨", "⟩"

local function text(inlines)
  return pandoc.utils.stringify(inlines)
end

-- --- collecting the chunks ----------------------------------------------------

local chunks = {}      -- in book order: {label, name, delete, files, exp, code, lang, uses}
local by_label = {}
local chapter_href = {}  -- chapter number (string) -> page

-- The fields of each record of the model file, by record type.
local function read_model(path)
  local f = io.open(path, "r")
  if not f then error("index.lua: cannot read the chunk model " .. path) end
  local m = { chapter = {}, chunk = {}, gen = {}, use = {} }
  for line in f:lines() do
    if not line:match("^#") then
      local rec = {}
      for field in (line .. "\t"):gmatch("([^\t]*)\t") do rec[#rec + 1] = field end
      local list = m[rec[1]]
      if not list then error("index.lua: " .. path .. ": not a chunk model: " .. line) end
      list[#list + 1] = rec
    end
  end
  f:close()
  return m
end

-- The chunks of the model, each with what the index needs.
local function model_chunks(path)
  local m = read_model(path)
  local number = {}
  for _, r in ipairs(m.chapter) do number[r[2]] = r[3] end
  local gen = {}
  for _, r in ipairs(m.gen) do
    -- gen G SCOPE LIVE ENDER CHUNKS USERS ROOTS ROOT LANG NAME
    gen[r[2]] = { roots = r[8], root = r[9], name = r[11] }
  end
  local label = {}
  for _, r in ipairs(m.chunk) do
    -- chunk C F LINE NUM KIND GEN PREV NAME
    local c = { label = number[r[3]] .. "." .. r[5], name = r[9], delete = r[6] == "delete",
      uses = {}, files = {} }
    c.exp = c.name:match("^try/") ~= nil
    local g = gen[r[7] ~= "-" and r[7] or r[8]]
    if g and g.roots ~= "-" then
      for root in g.roots:gmatch("[^,]+") do
        if gen[root].root == "src" then
          c.files[#c.files + 1] = gen[root].name
        end
      end
    end
    label[r[2]] = c.label
    chunks[#chunks + 1] = c
    by_label[c.label] = c
  end
  for _, r in ipairs(m.use) do
    -- use U C F LINE TARGET NAME: a use in code of a defined chunk
    if r[3] ~= "-" and r[6] ~= "-" then
      local c = by_label[label[r[3]]]
      c.uses[#c.uses + 1] = gen[r[6]].name
    end
  end
end

-- Each chunk's code and language, from its code block.
local function collect(block)
  local label = block.identifier:match("^nw%-(.*)$")
  local c = label and by_label[label]
  if c then
    c.code = block.text
    c.lang = block.classes[1]
  end
  return nil
end

-- A link to chunk label N.M on its chapter's page.
local function chunk_link(label)
  local n = label:match("^(%d+)%.")
  return pandoc.Link(label, (chapter_href[n] or "") .. "#nw-" .. label)
end

-- Inlines: links to the labels, comma-separated.
local function links(labels)
  local out = {}
  for i, l in ipairs(labels) do
    if i > 1 then out[#out + 1] = pandoc.Str(","); out[#out + 1] = pandoc.Space() end
    out[#out + 1] = chunk_link(l)
  end
  return out
end

local function append(t, items)
  for _, x in ipairs(items) do t[#t + 1] = x end
end

-- Keys sorted case-insensitively, ignoring leading underscores and %.
local function sorted_keys(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b)
    local x, y = a:gsub("^[_%%.]+", ""):lower(), b:gsub("^[_%%.]+", ""):lower()
    if x ~= y then return x < y end
    return a < b
  end)
  return keys
end

local function add_unique(list, seen, v)
  if not seen[v] then seen[v] = true; list[#list + 1] = v end
end

-- --- the chunk index ------------------------------------------------------------

local function chunk_index()
  local names = {}
  for _, c in ipairs(chunks) do
    local e = names[c.name] or { defs = {}, dels = {}, uses = {}, seen = {}, exp = c.exp }
    names[c.name] = e
    if c.delete then e.dels[#e.dels + 1] = c.label
    else e.defs[#e.defs + 1] = c.label end
  end
  for _, c in ipairs(chunks) do
    for _, name in ipairs(c.uses) do
      if names[name] then add_unique(names[name].uses, names[name].seen, c.label) end
    end
  end
  local items = {}
  for _, name in ipairs(sorted_keys(names)) do
    local e = names[name]
    local inl = { pandoc.Strong({ pandoc.Str(OPEN .. name .. CLOSE) }), pandoc.Str(":"),
      pandoc.Space(), pandoc.Str("defined in"), pandoc.Space() }
    append(inl, links(e.defs))
    if #e.dels > 0 then
      append(inl, { pandoc.Str(";"), pandoc.Space(), pandoc.Str("deleted in"), pandoc.Space() })
      append(inl, links(e.dels))
    end
    if #e.uses > 0 then
      append(inl, { pandoc.Str(";"), pandoc.Space(), pandoc.Str("used in"), pandoc.Space() })
      append(inl, links(e.uses))
    elseif e.exp then
      append(inl, { pandoc.Str(";"), pandoc.Space(),
        pandoc.Emph({ pandoc.Str("an experiment, not part of the kernel") }) })
    else
      append(inl, { pandoc.Str(";"), pandoc.Space(), pandoc.Emph({ pandoc.Str("a file") }) })
    end
    append(inl, { pandoc.Str(".") })
    items[#items + 1] = { pandoc.Plain(inl) }
  end
  return {
    pandoc.Header(1, "Index of chunks", pandoc.Attr("", { "unnumbered" })),
    pandoc.Para({ pandoc.Str("Every chunk name of the book, with the chunks that define it "
      .. "(the first one, its continuations and replacements) and the chunks whose code uses it. "
      .. "A chunk that nothing uses is a file of the kernel.") }),
    pandoc.BulletList(items),
  }
end

-- --- the identifier index -------------------------------------------------------

-- Code without comments, strings and chunk uses (replaced by spaces, so that
-- lines stay lines).
local function strip(code, lang)
  code = code:gsub(OPEN .. "[^\n]-" .. CLOSE, " ")
  if lang == "nasm" then
    code = code:gsub('"[^"\n]*"', '""'):gsub("'[^'\n]*'", "''"):gsub(";[^\n]*", "")
  elseif lang == "c" or lang == "ld" then
    code = code:gsub("/%*.-%*/", function(c) return (c:gsub("[^\n]", " ")) end)
    code = code:gsub('"[^"\n]*"', '""'):gsub("'[^'\n]*'", "''"):gsub("//[^\n]*", "")
  end
  return code
end

local C_NOT_TYPE = { ["return"] = true, ["else"] = true, ["goto"] = true, ["case"] = true,
  ["typedef"] = true, ["extern"] = true, ["if"] = true, ["while"] = true, ["for"] = true,
  ["switch"] = true, ["do"] = true, ["sizeof"] = true }

-- Definitions in C code: calls def(name, kind).
local function c_defs(code, def)
  local in_enum = false
  local pos = 1
  for line in (code .. "\n"):gmatch("([^\n]*)\n") do
    local lstart = pos
    pos = pos + #line + 1
    local name = line:match("^%s*#%s*define%s+([%a_][%w_]*)")
    if name then
      if not (name:match("_H$") and line:match("^%s*#%s*define%s+[%w_]+%s*$")) then
        def(name, "macro")
      end
    elseif in_enum then
      name = line:match("^%s*([%a_][%w_]*)%s*[=,]") or line:match("^%s*([%a_][%w_]*)%s*$")
      if name then def(name, "enum constant") end
      if line:match("}") then
        in_enum = false
        name = line:match("^}%s*([%a_][%w_]*)%s*;")
        if name then def(name, "type") end
      end
    elseif line:match("^typedef") and line:match(";%s*$") and not line:match("[{}]") then
      name = line:match("%(%s*%*%s*([%a_][%w_]*)%s*%)%s*%b()%s*;%s*$")   -- function pointer
          or line:match("([%a_][%w_]*)%s*%b[]%s*;%s*$") or line:match("([%a_][%w_]*)%s*;%s*$")
      if name then def(name, "type") end
    elseif line:match("^}%s*[%a_][%w_]*%s*;") then
      def(line:match("^}%s*([%a_][%w_]*)"), "type")
    elseif line:match("^[%a_]") then
      local kw, tag = line:match("^typedef%s+(%a+)%s+([%a_][%w_]*)%s*{?%s*$")
      if not kw then kw, tag = line:match("^(%a+)%s+([%a_][%w_]*)%s*{?%s*$") end
      if kw == "struct" or kw == "union" or kw == "enum" then
        def(tag, "type")
        if kw == "enum" then in_enum = true end
      elseif line:match("^typedef%s+enum") then
        in_enum = true
      else
        -- TYPE NAME( ... ) followed by "{": a function definition.
        local pre, fname, paren = line:match("^([%w_%s%*]-[%s%*])([%a_][%w_]*)%s*()%(")
        if fname and not C_NOT_TYPE[pre:match("^%s*([%a_][%w_]*)")] then
          local args = code:match("^%b()", lstart + paren - 1)
          local after = args and code:match("^%s*(.)", lstart + paren - 1 + #args)
          if after == "{" then def(fname, "function") end
        else
          -- TYPE NAME = ..., TYPE NAME; TYPE NAME[...]: a global variable.
          local l = line:gsub("%b[]", "")
          pre, name = l:match("^([%w_%s%*]-[%s%*])([%a_][%w_]*)%s*[=;,]")
          if name and not C_NOT_TYPE[pre:match("^%s*([%a_][%w_]*)")] then
            def(name, "variable")
          end
        end
      end
    end
  end
end

local function nasm_defs(code, def)
  for line in (code .. "\n"):gmatch("([^\n]*)\n") do
    local name = line:match("^([%a_][%w_]*)%s*:")
    if name then def(name, "label") end
    name = line:match("^%s*([%a_][%w_]*)%s+equ%s")
    if name then def(name, "constant") end
    name = line:match("^%s*%%x?i?define%s+([%a_][%w_]*)") or line:match("^%s*%%macro%s+([%a_][%w_]*)")
    if name then def(name, "macro") end
  end
end

local function ld_defs(code, def)
  for line in (code .. "\n"):gmatch("([^\n]*)\n") do
    local name = line:match("^%s*([%a_][%w_]*)%s*=[^=]")
        or line:match("PROVIDE%s*%(%s*([%a_][%w_]*)%s*=")
    if name then def(name, "linker symbol") end
  end
end

local DEFS = { c = c_defs, nasm = nasm_defs, ld = ld_defs }

local function identifier_index()
  local ids = {}
  for _, c in ipairs(chunks) do
    local find = DEFS[c.lang or ""]
    if find and not c.exp then
      c.stripped = strip(c.code or "", c.lang)
      find(c.stripped, function(name, kind)
        local e = ids[name] or { kinds = {}, kseen = {}, defs = {}, dseen = {}, files = {},
          fseen = {}, uses = {}, useen = {} }
        ids[name] = e
        add_unique(e.kinds, e.kseen, kind)
        add_unique(e.defs, e.dseen, c.label)
        for _, file in ipairs(c.files) do add_unique(e.files, e.fseen, file) end
      end)
    end
  end
  for _, c in ipairs(chunks) do
    if c.stripped then
      for word in c.stripped:gmatch("[%a_][%w_]*") do
        local e = ids[word]
        if e and not e.dseen[c.label] then add_unique(e.uses, e.useen, c.label) end
      end
    end
  end
  local items = {}
  for _, name in ipairs(sorted_keys(ids)) do
    local e = ids[name]
    local inl = { pandoc.Code(name, pandoc.Attr("id-" .. name)), pandoc.Space(),
      pandoc.Emph({ pandoc.Str(table.concat(e.kinds, ", ")) }), pandoc.Str(":"), pandoc.Space(),
      pandoc.Str("defined in"), pandoc.Space() }
    append(inl, links(e.defs))
    if #e.files > 0 then
      inl[#inl + 1] = pandoc.Space()
      inl[#inl + 1] = pandoc.Str("(")
      for i, f in ipairs(e.files) do
        if i > 1 then append(inl, { pandoc.Str(","), pandoc.Space() }) end
        inl[#inl + 1] = pandoc.Code(f)
      end
      inl[#inl + 1] = pandoc.Str(")")
    end
    if #e.uses > 0 then
      append(inl, { pandoc.Str(";"), pandoc.Space(), pandoc.Str("used in"), pandoc.Space() })
      append(inl, links(e.uses))
    end
    inl[#inl + 1] = pandoc.Str(".")
    items[#items + 1] = { pandoc.Plain(inl) }
  end
  return {
    pandoc.Header(1, "Index of identifiers", pandoc.Attr("", { "unnumbered" })),
    pandoc.Para({ pandoc.Str("The functions, macros, types, constants and global variables "
      .. "of the C code, the labels and constants of the assembly code and the symbols of "
      .. "the linker scripts: the chunks that define each one (with the files they are in) "
      .. "and the chunks that use it.") }),
    pandoc.BulletList(items),
  }
end

-- --- the page -----------------------------------------------------------------

local function Pandoc_filter(doc)
  local meta = doc.meta
  for _, ch in ipairs(meta.chapters or {}) do
    chapter_href[text(ch.number)] = text(ch.href)
    ch.current = nil
  end
  if not meta.model then error("index.lua: metadata model (the chunk model file) is not set") end
  model_chunks(text(meta.model))
  pandoc.walk_block(pandoc.Div(doc.blocks), { CodeBlock = collect })
  local which = meta.index and text(meta.index) or ""
  local blocks
  if which == "chunks" then
    blocks = chunk_index()
    meta.pagetitle = "Index of chunks"
  elseif which == "identifiers" then
    blocks = identifier_index()
    meta.pagetitle = "Index of identifiers"
  else
    error("index.lua: metadata index must be chunks or identifiers, not '" .. which .. "'")
  end
  meta.prev, meta.next, meta.chapter, meta.index, meta.model = nil, nil, nil, nil, nil
  return pandoc.Pandoc(blocks, meta)
end

return { { Pandoc = Pandoc_filter } }

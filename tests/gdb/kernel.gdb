# kernel.gdb: GDB's start-up commands for make debug-N (tests/gdb/debug).
#
# tests/gdb/debug has loaded the kernel's symbols and connected GDB to QEMU,
# which is paused before the first instruction of the BIOS. GDB runs in the
# top directory of the book, so the chapters named by the kernel's #line
# directives (chapters/NN-slug.nw) are found from there.

set confirm off
set pagination off
# Software breakpoints are safe here: QEMU keeps them itself, so GRUB
# loading the kernel over the code does not erase them.
break kernel_main

# screen: print the VGA text screen, one row a line, without the colours;
# a character outside printable ASCII shows as a dot (a blank as a space).
define screen
  set $cell = (unsigned char *) 0xb8000
  set $row = 0
  while $row < 25
    set $col = 0
    while $col < 80
      set $ch = $cell[($row * 80 + $col) * 2]
      if $ch >= 32 && $ch < 127
        printf "%c", $ch
      else
        if $ch == 0
          printf " "
        else
          printf "."
        end
      end
      set $col = $col + 1
    end
    printf "\n"
    set $row = $row + 1
  end
end
document screen
Print the VGA text screen, 25 rows of 80 characters, without the colours.
end

echo \nQEMU is paused before the BIOS runs; a breakpoint waits at kernel_main.\n
echo Type continue (c) to boot up to it; list, next (n), step (s), bt, screen;\n
echo quit (q) ends GDB and QEMU.\n\n

# kernel.gdb: GDB's start-up commands for make debug-N (tests/gdb/debug).
#
# tests/gdb/debug has loaded the kernel's symbols and connected GDB to QEMU,
# which is paused before the first instruction of the BIOS; after these
# commands it sets the breakpoint (kernel_main, or start in a kernel without
# C). GDB runs in the top directory of the book, so the chapters named by
# the kernel's #line directives (chapters/NN-slug.nw) are found from there.

set confirm off
set pagination off

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

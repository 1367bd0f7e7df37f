#!/bin/sh
# repro: every snapshot builds to byte-identical outputs, whatever the host.
#
# Usage: tests/repro.sh NN...   (run from the repository root, snapshots built)
#
# Rebuilds each snapshot from scratch into a fresh directory and compares every
# file it makes with the one the normal build left in out/chNN/. The fresh
# build runs on a host that looks different: another directory, time zone,
# locale and umask, and every GRUB platform but the BIOS one (i386-pc) hidden
# from grub-mkrescue, so an image that depends on which GRUB packages are
# installed (grub-efi-amd64-bin on any UEFI-installed Debian) fails here.
# (A snapshot that makes BIOS+UEFI images keeps x86_64-efi as well; two
# builds of those differ unless the FAT image's serial is fixed.)
failed=0

# --tmpfs over every other platform directory hides it inside bwrap. On a
# host with none (grub-efi-amd64-bin removed), both builds see BIOS alone.
# A snapshot that boots under UEFI too (its Makefile's GRUB_PLATFORMS names
# x86_64-efi) makes a hybrid image: for it, x86_64-efi stays visible.
hidden_but() {
    hide= how="GRUB platforms but $1 hidden"
    for d in /usr/lib/grub/*/; do
        case " $1 " in *" $(basename "$d") "*) continue ;; esac
        [ -f "$d/kernel.img" ] && hide="$hide --tmpfs ${d%/}"
    done
    [ -n "$hide" ] || how="no GRUB platform but $1 installed"
}

# bwrap needs a mount namespace: as root it makes one directly, elsewhere
# (a container without CAP_SYS_ADMIN) inside a user namespace, and where
# neither is allowed the platforms cannot be hidden: say so.
bwrap="bwrap --dev-bind / /"
if ! bwrap --dev-bind / / true 2>/dev/null; then
    if bwrap --unshare-user --dev-bind / / true 2>/dev/null; then
        bwrap="bwrap --unshare-user --dev-bind / /"
    else
        bwrap=
        nobwrap="bwrap cannot make a namespace here ($(bwrap --dev-bind / / true 2>&1 | head -n 1)):"
        nobwrap="$nobwrap other GRUB platforms visible to both builds"
    fi
fi

for n in "$@"; do
    if grep -q '^GRUB_PLATFORMS *=.*x86_64-efi' "out/ch$n/src/Makefile" 2>/dev/null; then
        hidden_but "i386-pc x86_64-efi"
    else
        hidden_but i386-pc
    fi
    sandbox=
    if [ -n "$bwrap" ]; then sandbox="$bwrap $hide --"; else how=$nobwrap; fi
    fresh=out/test/repro/ch$n
    rm -rf "$fresh"; mkdir -p "$fresh"
    if ! (umask 077; TZ=Pacific/Chatham LC_ALL=C.UTF-8 LANG=C.UTF-8 \
          $sandbox \
          make --no-print-directory -s -C "out/ch$n/src" BUILD="$(pwd)/$fresh") > "$fresh.log" 2>&1; then
        echo "FAIL repro: ch$n: a fresh build failed (see $fresh.log)"; failed=1; continue
    fi
    files=$(cd "$fresh" && find . -path ./obj -prune -o -type f -print | sort)
    if [ -z "$files" ]; then
        echo "FAIL repro: ch$n: a fresh build made no file"; failed=1; continue
    fi
    for f in $files; do
        f=${f#./}
        if cmp -s "$fresh/$f" "out/ch$n/$f"; then
            echo "PASS repro: ch$n/$f is byte-identical in two builds ($how; other TZ, locale, umask)"
        else
            echo "FAIL repro: ch$n/$f differs between two builds ($fresh/$f)"; failed=1
        fi
    done
done
exit $failed

package io.orch.responder.state;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryFlag;
import java.nio.file.attribute.AclEntryPermission;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.AclFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The state folder's access list on Windows, where owner and mode bits do not exist. A new folder
 * under {@code C:\ProgramData} inherits {@code BUILTIN\Users:(CI)(WD,AD,WEA,WA)}: any local user
 * could plant {@code pending-reboot.json} there. So at every start the folder gets a protected list
 * (SYSTEM and Administrators full control, inherited by what is created in it, nothing inherited
 * from above) and is owned by Administrators; the list is then read back, and the responder refuses
 * to start when any other account can still write the folder or a file in it.
 *
 * <p>The decision ({@link #protectedAcl}, {@link #otherWriters}) is plain code over {@link AclEntry}
 * values, tested on any OS; only {@link #secure} touches the Windows file system.
 */
final class WindowsStateAcl {
    /** Rights that let an account change what the folder holds, or who may. */
    static final Set<AclEntryPermission> WRITE_RIGHTS = EnumSet.of(AclEntryPermission.WRITE_DATA,
            AclEntryPermission.APPEND_DATA, AclEntryPermission.WRITE_NAMED_ATTRS, AclEntryPermission.WRITE_ATTRIBUTES,
            AclEntryPermission.DELETE, AclEntryPermission.DELETE_CHILD, AclEntryPermission.WRITE_ACL,
            AclEntryPermission.WRITE_OWNER);
    static final String SYSTEM = "NT AUTHORITY\\SYSTEM";
    static final String ADMINISTRATORS = "BUILTIN\\Administrators";

    private WindowsStateAcl() {
    }

    /** The icacls command an administrator runs to give {@code dir} the list {@link #secure} sets. */
    static String fix(Path dir) {
        return "icacls \"" + dir + "\" /inheritance:r /grant:r SYSTEM:(OI)(CI)F Administrators:(OI)(CI)F "
                + "&& icacls \"" + dir + "\" /setowner Administrators /T";
    }

    /** Full control for each trusted account, inherited by every file and folder created inside. */
    static List<AclEntry> protectedAcl(List<? extends UserPrincipal> trusted) {
        return acl(trusted, EnumSet.of(AclEntryFlag.FILE_INHERIT, AclEntryFlag.DIRECTORY_INHERIT));
    }

    /** Full control for each trusted account, for a file (nothing to inherit). */
    static List<AclEntry> protectedFileAcl(List<? extends UserPrincipal> trusted) {
        return acl(trusted, EnumSet.noneOf(AclEntryFlag.class));
    }

    private static List<AclEntry> acl(List<? extends UserPrincipal> trusted, Set<AclEntryFlag> flags) {
        List<AclEntry> acl = new ArrayList<>();
        for (UserPrincipal principal : trusted) {
            acl.add(AclEntry.newBuilder().setType(AclEntryType.ALLOW).setPrincipal(principal)
                    .setPermissions(EnumSet.allOf(AclEntryPermission.class)).setFlags(flags).build());
        }
        return acl;
    }

    /** The names of the accounts other than {@code trusted} that an entry of {@code acl} allows to write. */
    static Set<String> otherWriters(List<AclEntry> acl, Set<? extends UserPrincipal> trusted) {
        Set<String> writers = new LinkedHashSet<>();
        for (AclEntry entry : acl) {
            // Inherit-only entries count too: what they allow, files created here would allow.
            if (entry.type() != AclEntryType.ALLOW || trusted.contains(entry.principal())) {
                continue;
            }
            for (AclEntryPermission permission : entry.permissions()) {
                if (WRITE_RIGHTS.contains(permission)) {
                    writers.add(entry.principal().getName());
                    break;
                }
            }
        }
        return writers;
    }

    /**
     * Sets the protected list on {@code dir} and makes Administrators its owner, then refuses when
     * another account can write it or a file in it.
     *
     * @throws StateFolderException naming the accounts and the icacls command that fixes it
     */
    static void secure(Path dir) throws StateFolderException {
        AclFileAttributeView view = Files.getFileAttributeView(dir, AclFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            throw new StateFolderException("state folder " + dir + ": this file system has no access lists, so "
                    + "orch cannot keep other accounts out of its journal; set reboot.state_dir to a folder on NTFS");
        }
        List<UserPrincipal> trusted;
        try {
            UserPrincipalLookupService lookup = dir.getFileSystem().getUserPrincipalLookupService();
            trusted = List.of(lookup.lookupPrincipalByName(SYSTEM), lookup.lookupPrincipalByGroupName(ADMINISTRATORS));
        } catch (IOException e) {
            throw new StateFolderException("state folder " + dir + ": cannot look up SYSTEM and Administrators ("
                    + e.getMessage() + ")", e);
        }
        Set<UserPrincipal> allowed = Set.copyOf(trusted);
        protect(dir, "state folder " + dir, view, protectedAcl(trusted), trusted);
        refuseOtherWriters(dir, "state folder " + dir, view, allowed);
        // Files already there (the config files share the folder) get the same list: one planted
        // before the folder was protected, or that inherited CREATOR OWNER's rights, is kept out too.
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                AclFileAttributeView fileView = Files.getFileAttributeView(file, AclFileAttributeView.class,
                        LinkOption.NOFOLLOW_LINKS);
                if (fileView != null && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    protect(dir, "state file " + file, fileView, protectedFileAcl(trusted), trusted);
                    refuseOtherWriters(dir, "state file " + file, fileView, allowed);
                }
            }
        } catch (IOException e) {
            throw new StateFolderException("state folder " + dir + ": cannot list it (" + e.getMessage() + ")", e);
        }
    }

    /** Makes Administrators the owner (unless SYSTEM or Administrators is) and writes {@code acl} as given. */
    private static void protect(Path dir, String what, AclFileAttributeView view, List<AclEntry> acl,
            List<UserPrincipal> trusted) throws StateFolderException {
        try {
            if (!trusted.contains(view.getOwner())) {
                view.setOwner(trusted.get(1));
            }
            // Written as given: entries inherited from C:\ProgramData are not in the list.
            view.setAcl(acl);
        } catch (IOException e) {
            throw new StateFolderException(what + ": cannot set its access list to SYSTEM and Administrators only ("
                    + e.getMessage() + "); run the responder as LocalSystem, or as an administrator run: "
                    + fix(dir), e);
        }
    }

    private static void refuseOtherWriters(Path dir, String what, AclFileAttributeView view,
            Set<UserPrincipal> trusted) throws StateFolderException {
        Set<String> writers;
        UserPrincipal owner;
        try {
            writers = otherWriters(view.getAcl(), trusted);
            owner = view.getOwner();
        } catch (IOException e) {
            throw new StateFolderException(what + ": cannot read its access list (" + e.getMessage() + ")", e);
        }
        if (!writers.isEmpty()) {
            throw new StateFolderException(what + " can be written by " + String.join(", ", writers)
                    + ", who could plant or replace the journal the node trusts after boot; fix (as an "
                    + "administrator): " + fix(dir));
        }
        if (!trusted.contains(owner)) {
            // An owner may always rewrite the access list.
            throw new StateFolderException(what + " is owned by " + owner.getName() + ", who could rewrite its access "
                    + "list; fix (as an administrator): " + fix(dir));
        }
    }
}

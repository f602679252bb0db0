package provider

import "fmt"

// offboardingBlocked is the error of a destroy that meets what only force_destroy removes: it says
// what is in the way and how to set force_destroy, also for a person already removed from the
// configuration (a for_each roster entry deleted), whose force_destroy can no longer be edited in
// place. The error belongs to this person's instance only: Terraform fails that instance and
// carries on with the changes that do not depend on it.
func offboardingBlocked(name, blockers string) (summary, detail string) {
	return "The user has credentials or policies made outside Terraform",
		fmt.Sprintf("IAM user (%[1]s) cannot be deleted while it has %[2]s. Nothing of the user was deleted.\n\n"+
			"To delete them with the user, force_destroy must be true in the state before the destroy:\n"+
			"  - if the user is still in the configuration: set force_destroy = true, apply, then destroy (or remove the entry) again;\n"+
			"  - if the entry was already removed (a person taken out of a for_each roster): put the entry back as it was with "+
			"force_destroy = true, apply (an in-place update of force_destroy only), then remove the entry again and apply.\n"+
			"Or remove them yourself (for access keys: aws iam list-access-keys --user-name %[1]s, then aws iam delete-access-key) and apply again.\n"+
			"`terraform state rm <address>` only makes Terraform forget the person: the IAM user stays with its groups, console access "+
			"and keys, so use it only if you delete the user by hand.", name, blockers)
}
